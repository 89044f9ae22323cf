# libFuzzer targets, one per kind of untrusted input, and the whole build
# under AddressSanitizer and UBSan so that the test suite runs under them
# too. Included by CMakeLists.txt with -DGARDENER_FUZZ=ON, after every other
# target is defined, hence the per-target options below.
#
#   cmake -B build-fuzz -S . -DGARDENER_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++
#   cmake --build build-fuzz -j2
#   build-fuzz/fuzz/fuzz_marker tests/fuzz/corpus/marker   # see .ci/fuzz

if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR
    "GARDENER_FUZZ needs clang, for libFuzzer; the C++ compiler is "
    "${CMAKE_CXX_COMPILER_ID} (${CMAKE_CXX_COMPILER}). Configure a fresh build "
    "directory with -DCMAKE_CXX_COMPILER=clang++.")
endif()

# Any undefined behaviour stops the program, so that both the fuzzer and
# ctest see it as a failure whatever UBSAN_OPTIONS say.
set(GARDENER_FUZZ_SANITIZERS
  -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)

# The code under test also gets libFuzzer's coverage instrumentation; the
# runtime that reads it is linked into the fuzz targets only, so the tests
# and the program link as usual, with the sanitizer runtimes.
get_property(GARDENER_LAYER_TARGETS GLOBAL PROPERTY GARDENER_LAYERS)
foreach(layer ${GARDENER_LAYER_TARGETS})
  target_compile_options(${layer} PRIVATE -fsanitize=fuzzer-no-link ${GARDENER_FUZZ_SANITIZERS})
endforeach()
target_link_options(triage_core INTERFACE -fsanitize=address,undefined)
foreach(target gcp-log-gardener triage_tests)
  if(TARGET ${target})
    target_compile_options(${target} PRIVATE ${GARDENER_FUZZ_SANITIZERS})
  endif()
endforeach()

# The target bodies, shared with tests/fuzz/corpus_replay_test.cc.
add_library(triage_fuzz_targets STATIC
  tests/fuzz/targets_pipeline.cc
  tests/fuzz/targets_text.cc)
target_compile_options(triage_fuzz_targets PRIVATE ${GARDENER_FUZZ_SANITIZERS})
target_link_libraries(triage_fuzz_targets PUBLIC triage_core)

set(GARDENER_FUZZ_TARGETS entry_parse cluster config markdown render marker)
foreach(name ${GARDENER_FUZZ_TARGETS})
  add_executable(fuzz_${name} tests/fuzz/fuzz_${name}.cc)
  target_compile_options(fuzz_${name} PRIVATE -fsanitize=fuzzer ${GARDENER_FUZZ_SANITIZERS})
  target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
  target_link_libraries(fuzz_${name} PRIVATE triage_fuzz_targets)
  set_target_properties(fuzz_${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/fuzz)
endforeach()
