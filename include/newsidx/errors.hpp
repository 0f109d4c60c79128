// Error types thrown by the newsidx library. The CLI catches them in one place and maps
// them to a one-line message and an exit status; the library itself never prints or exits.
#pragma once

#include <stdexcept>
#include <string>

namespace newsidx {

// Base class of every error the library throws on purpose.
class Error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// The caller asked for something that makes no sense (bad option value, bad date).
class UsageError : public Error {
public:
  using Error::Error;
};

// An input file or directory could not be read or is not text.
class InputError : public Error {
public:
  using Error::Error;
};

// The archive database could not be opened, is not a newsidx archive, or a write failed.
class StoreError : public Error {
public:
  using Error::Error;
};

// The archive is busy (another ingest holds the write lock).
class StoreBusyError : public StoreError {
public:
  using StoreError::StoreError;
};

// A search query could not be understood; what() points at the problem.
class QueryError : public Error {
public:
  using Error::Error;
};

// A rule file under data/rules is missing or malformed.
class RulesError : public Error {
public:
  using Error::Error;
};

} // namespace newsidx
