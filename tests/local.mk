## tests: shared settings of the test suite.
VALGRIND_TESTS =
TEST_EXTENSIONS = .py .sh
PY_LOG_COMPILER = python3
SH_LOG_COMPILER = bash
