//! Integration tests: build fixture libraries in temp dirs and check what comes out.
