// Naming what the user mistyped: "unknown command 'charcter' (did you mean
// 'character'?)" instead of the parser's generic "A subcommand is required".
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

namespace vt::cli {

// The Levenshtein distance between `a` and `b` (insertions, deletions and
// substitutions of bytes, each costing 1).
size_t EditDistance(const std::string& a, const std::string& b);

// The candidate nearest to `word` by EditDistance if it is close enough to be a
// likely typo (at most 2 edits, and fewer than half of `word`'s length; a
// candidate that starts with `word` also counts), else nullopt. Ties go to the
// first candidate.
std::optional<std::string> NearestName(const std::string& word,
                                       const std::vector<std::string>& candidates);

// Walks `args` (argv without the program name) down `app`'s command tree, skipping
// options and their values. If a word stands where only a subcommand may stand (the
// command has subcommands and takes no positional arguments) but names none, returns
// "unknown command 'WORD'" (" for 'vtrust PATH'" below the top level), with the
// nearest subcommand's name when NearestName finds one. nullopt otherwise: then the
// parser's own message is the right one.
std::optional<std::string> UnknownCommandMessage(const CLI::App& app,
                                                 const std::vector<std::string>& args);

}  // namespace vt::cli
