# vtrust_module(NAME name [RECURSE] DEPS dep... [TEST_DEPS dep...])
#
# Builds the current folder's *.cc (except *_test.cc; with RECURSE, its subfolders'
# too) into the static library vtrust_<name>, and the *_test.cc files into the
# GoogleTest executable <name>_test, registered with CTest under the label "unit"
# (only when GoogleTest was found: VTRUST_TESTS).
# Headers are included by their path under src/ ("app/core/committer.h").
function(vtrust_module)
  cmake_parse_arguments(M "RECURSE" "NAME" "DEPS;TEST_DEPS" ${ARGN})
  if(M_RECURSE)
    set(_glob GLOB_RECURSE)
  else()
    set(_glob GLOB)
  endif()
  file(${_glob} _all CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cc)
  file(${_glob} _tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cc)
  set(_srcs ${_all})
  if(_tests)
    list(REMOVE_ITEM _srcs ${_tests})
  endif()
  add_library(vtrust_${M_NAME} STATIC ${_srcs})
  target_include_directories(vtrust_${M_NAME} PUBLIC ${CMAKE_SOURCE_DIR}/src)
  target_link_libraries(vtrust_${M_NAME} PUBLIC ${M_DEPS})
  if(_tests AND VTRUST_TESTS)
    add_executable(${M_NAME}_test ${_tests})
    target_link_libraries(${M_NAME}_test PRIVATE vtrust_${M_NAME} ${M_TEST_DEPS}
                          GTest::gtest GTest::gtest_main GTest::gmock)
    add_test(NAME ${M_NAME}_test COMMAND ${M_NAME}_test)
    set_tests_properties(${M_NAME}_test PROPERTIES LABELS unit)
  endif()
endfunction()
