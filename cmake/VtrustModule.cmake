# vtrust_module(NAME name DEPS dep...)
#
# Builds src/<name>/*.cc (except *_test.cc) into the static library vtrust_<name>,
# and src/<name>/*_test.cc into the GoogleTest executable <name>_test, registered
# with CTest under the label "unit". Headers are included as "<name>/file.h".
function(vtrust_module)
  cmake_parse_arguments(M "" "NAME" "DEPS;TEST_DEPS" ${ARGN})
  file(GLOB _all CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cc)
  file(GLOB _tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cc)
  set(_srcs ${_all})
  if(_tests)
    list(REMOVE_ITEM _srcs ${_tests})
  endif()
  add_library(vtrust_${M_NAME} STATIC ${_srcs})
  target_include_directories(vtrust_${M_NAME} PUBLIC ${CMAKE_SOURCE_DIR}/src)
  target_link_libraries(vtrust_${M_NAME} PUBLIC ${M_DEPS})
  if(_tests)
    add_executable(${M_NAME}_test ${_tests})
    target_link_libraries(${M_NAME}_test PRIVATE vtrust_${M_NAME} ${M_TEST_DEPS}
                          GTest::gtest GTest::gtest_main GTest::gmock)
    add_test(NAME ${M_NAME}_test COMMAND ${M_NAME}_test)
    set_tests_properties(${M_NAME}_test PROPERTIES LABELS unit)
  endif()
endfunction()
