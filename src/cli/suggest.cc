#include "cli/suggest.h"

#include <algorithm>

namespace vt::cli {

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::optional<std::string> NearestName(const std::string& word,
                                       const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  size_t best_d = 0;
  for (const std::string& c : candidates) {
    size_t d = EditDistance(word, c);
    if (d <= 2 && 2 * d < word.size() && (!best || d < best_d)) {
      best = c;
      best_d = d;
    }
  }
  if (best) return best;
  if (word.size() >= 3) {
    for (const std::string& c : candidates)
      if (c.rfind(word, 0) == 0) return c;
  }
  return std::nullopt;
}

namespace {

// The named subcommands of `app`.
std::vector<const CLI::App*> Subcommands(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App* s) { return !s->get_name().empty(); });
}

bool TakesPositionals(const CLI::App& app) {
  for (const CLI::Option* o : app.get_options())
    if (o->get_positional()) return true;
  return false;
}

// The option `token` names in `app` or one of its parents (global flags are added
// to every command), or null.
const CLI::Option* FindOption(const CLI::App* app, const std::string& token) {
  std::string name = token.substr(0, token.find('='));
  for (; app != nullptr; app = app->get_parent()) {
    for (const CLI::Option* o : app->get_options()) {
      if (o->check_name(name)) return o;
    }
  }
  return nullptr;
}

}  // namespace

std::optional<std::string> UnknownCommandMessage(const CLI::App& app,
                                                 const std::vector<std::string>& args) {
  const CLI::App* cur = &app;
  std::string path;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") return std::nullopt;
    if (a.size() > 1 && a[0] == '-') {
      const CLI::Option* o = FindOption(cur, a);
      // An option with a value takes the next word unless written --opt=value.
      if (o != nullptr && o->get_items_expected_max() > 0 && a.find('=') == std::string::npos) ++i;
      continue;
    }
    std::vector<const CLI::App*> subs = Subcommands(*cur);
    if (subs.empty()) return std::nullopt;
    const CLI::App* next = nullptr;
    for (const CLI::App* s : subs)
      if (s->check_name(a)) next = s;
    if (next != nullptr) {
      path += (path.empty() ? "" : " ") + next->get_name();
      cur = next;
      continue;
    }
    if (TakesPositionals(*cur)) return std::nullopt;
    std::vector<std::string> names;
    for (const CLI::App* s : subs) names.push_back(s->get_name());
    std::string msg = "unknown command '" + a + "'";
    if (!path.empty()) msg += " for 'vtrust " + path + "'";
    if (auto near = NearestName(a, names)) {
      msg += " (did you mean '" + *near + "'?)";
    } else {
      std::string list;
      for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
      msg += "; commands: " + list;
    }
    return msg;
  }
  return std::nullopt;
}

}  // namespace vt::cli
