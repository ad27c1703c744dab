# Shared compile options for every target of ours (never applied to third-party code).
# No -Wnull-dereference: GCC 12 at -O2 reports false positives inside CLI11 and libstdc++.
add_library(pd_options INTERFACE)
target_compile_options(pd_options INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang,AppleClang>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
     -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wformat=2>
  $<$<CXX_COMPILER_ID:MSVC>:/W4 /utf-8 /permissive->)
if(PD_WERROR)
  target_compile_options(pd_options INTERFACE
    $<$<CXX_COMPILER_ID:GNU,Clang,AppleClang>:-Werror> $<$<CXX_COMPILER_ID:MSVC>:/WX>)
endif()
target_compile_features(pd_options INTERFACE cxx_std_20)
