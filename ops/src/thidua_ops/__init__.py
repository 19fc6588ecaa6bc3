"""The operator command line: `thidua-ops --help`."""
