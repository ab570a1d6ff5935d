#pragma once
namespace clusterp {
inline constexpr const char* k_version = "0.1.0";
}
