// `vtrust org|member|token|whoami`.
#include "cli/context.h"

namespace vt::cli {
namespace {

std::string Line(const Json& j, std::initializer_list<const char*> keys) {
  std::string out;
  for (const char* k : keys) {
    if (!j.contains(k) || j[k].is_null()) continue;
    out += (out.empty() ? "" : "  ") + std::string(k) + "=" +
           (j[k].is_string() ? j[k].get<std::string>() : j[k].dump());
  }
  return out + "\n";
}

std::string List(const Json& items, std::initializer_list<const char*> keys) {
  std::string out;
  for (const auto& i : items) out += Line(i, keys);
  return out.empty() ? "(none)\n" : out;
}

void AddOrg(CLI::App& app, Context& ctx) {
  auto* org = app.add_subcommand("org", "Organizations (tenants)");
  org->require_subcommand(1);
  auto* create = org->add_subcommand("create", "Register an organization (operator admins)");
  static std::string name, kind = "studio", id;
  create->add_option("NAME", name, "Organization name")->required();
  create->add_option("--kind", kind, "studio, agency, platform, talent or other");
  AddGlobalFlags(*create, ctx);
  create->callback([&ctx] {
    ctx.Run([&]() -> Status {
      VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
      VT_ASSIGN_OR_RETURN(Json r, c->Call("POST", "/v1/orgs", {{"name", name}, {"kind", kind}}));
      ctx.Print(r, [](const Json& j) { return Line(j, {"id", "name", "kind"}); });
      return OkStatus();
    });
  });
  auto* list = org->add_subcommand("list", "Organizations visible to you");
  AddGlobalFlags(*list, ctx);
  list->callback([&ctx] {
    ctx.Run([&]() -> Status {
      VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
      VT_ASSIGN_OR_RETURN(Json r, c->Call("GET", "/v1/orgs"));
      ctx.Print(r, [](const Json& j) { return List(j["orgs"], {"id", "name", "kind"}); });
      return OkStatus();
    });
  });
  auto* show = org->add_subcommand("show", "One organization");
  show->add_option("ORG", id, "Organization id")->required();
  AddGlobalFlags(*show, ctx);
  show->callback([&ctx] {
    ctx.Run([&]() -> Status {
      VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
      VT_ASSIGN_OR_RETURN(Json r, c->Call("GET", "/v1/orgs/" + Seg(id)));
      ctx.Print(r, [](const Json& j) { return Line(j, {"id", "name", "kind", "created_at"}); });
      return OkStatus();
    });
  });
}

void AddMember(CLI::App& app, Context& ctx) {
  auto* mem = app.add_subcommand("member", "Members of an organization");
  mem->require_subcommand(1);
  static std::string org, name, email, role = "member", id;
  auto* add = mem->add_subcommand("add", "Add a member (organization admins)");
  add->add_option("ORG", org, "Organization id")->required();
  add->add_option("NAME", name, "Member name")->required();
  add->add_option("--role", role, "admin, member or auditor");
  add->add_option("--email", email, "E-mail address");
  AddGlobalFlags(*add, ctx);
  add->callback([&ctx] {
    ctx.Run([&]() -> Status {
      VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
      Json body = {{"name", name}, {"role", role}};
      if (!email.empty()) body["email"] = email;
      VT_ASSIGN_OR_RETURN(Json r, c->Call("POST", "/v1/orgs/" + Seg(org) + "/members", body));
      ctx.Print(r, [](const Json& j) { return Line(j, {"id", "name", "role"}); });
      return OkStatus();
    });
  });
  auto* list = mem->add_subcommand("list", "List members");
  list->add_option("ORG", org, "Organization id")->required();
  AddGlobalFlags(*list, ctx);
  list->callback([&ctx] {
    ctx.Run([&]() -> Status {
      VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
      VT_ASSIGN_OR_RETURN(Json r, c->Call("GET", "/v1/orgs/" + Seg(org) + "/members"));
      ctx.Print(r, [](const Json& j) {
        return List(j["members"], {"id", "name", "role", "removed_at"});
      });
      return OkStatus();
    });
  });
  auto* rm = mem->add_subcommand("remove", "Remove a member and revoke its tokens");
  rm->add_option("ORG", org, "Organization id")->required();
  rm->add_option("MEMBER", id, "Member id")->required();
  AddGlobalFlags(*rm, ctx);
  rm->callback([&ctx] {
    ctx.Run([&]() -> Status {
      VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
      VT_ASSIGN_OR_RETURN(Json r,
                          c->Call("DELETE", "/v1/orgs/" + Seg(org) + "/members/" + Seg(id)));
      ctx.Print(r, [](const Json& j) { return Line(j, {"id", "name", "removed_at"}); });
      return OkStatus();
    });
  });
}

void AddToken(CLI::App& app, Context& ctx) {
  auto* tok = app.add_subcommand("token", "API tokens");
  tok->require_subcommand(1);
  static std::string org, member, name, id;
  static int64_t ttl = 0;
  auto* create = tok->add_subcommand("create", "Create a token; the secret is printed once");
  create->add_option("ORG", org, "Organization id")->required();
  create->add_option("--member", member, "Member id")->required();
  create->add_option("--name", name, "A label for the token")->required();
  create->add_option("--ttl", ttl, "Lifetime in seconds (0 = no expiry)");
  AddGlobalFlags(*create, ctx);
  create->callback([&ctx] {
    ctx.Run([&]() -> Status {
      VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
      VT_ASSIGN_OR_RETURN(Json r,
                          c->Call("POST", "/v1/orgs/" + Seg(org) + "/tokens",
                                  {{"member_id", member}, {"name", name}, {"ttl_seconds", ttl}}));
      ctx.Print(r, [](const Json& j) {
        return Line(j, {"id", "role", "expires_at"}) +
               "token (shown once): " + j["token"].get<std::string>() + "\n";
      });
      return OkStatus();
    });
  });
  auto* list = tok->add_subcommand("list", "List tokens (never their secrets)");
  list->add_option("ORG", org, "Organization id")->required();
  AddGlobalFlags(*list, ctx);
  list->callback([&ctx] {
    ctx.Run([&]() -> Status {
      VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
      VT_ASSIGN_OR_RETURN(Json r, c->Call("GET", "/v1/orgs/" + Seg(org) + "/tokens"));
      ctx.Print(r, [](const Json& j) {
        return List(j["tokens"], {"id", "name", "member_id", "role", "expires_at", "revoked_at"});
      });
      return OkStatus();
    });
  });
  auto* revoke = tok->add_subcommand("revoke", "Revoke a token");
  revoke->add_option("ORG", org, "Organization id")->required();
  revoke->add_option("TOKEN", id, "Token id (tok_...)")->required();
  AddGlobalFlags(*revoke, ctx);
  revoke->callback([&ctx] {
    ctx.Run([&]() -> Status {
      VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
      VT_ASSIGN_OR_RETURN(Json r, c->Call("DELETE", "/v1/orgs/" + Seg(org) + "/tokens/" + Seg(id)));
      ctx.Print(r, [](const Json& j) { return Line(j, {"id", "revoked_at"}); });
      return OkStatus();
    });
  });
}

}  // namespace

void AddAccessCommands(CLI::App& app, Context& ctx) {
  AddOrg(app, ctx);
  AddMember(app, ctx);
  AddToken(app, ctx);
  auto* who = app.add_subcommand("whoami", "Show the principal your token acts as");
  AddGlobalFlags(*who, ctx);
  who->callback([&ctx] {
    ctx.Run([&]() -> Status {
      VT_ASSIGN_OR_RETURN(Client * c, ctx.GetClient());
      VT_ASSIGN_OR_RETURN(Json r, c->Call("GET", "/v1/whoami"));
      ctx.Print(r, [](const Json& j) { return Line(j, {"org_id", "member_id", "role"}); });
      return OkStatus();
    });
  });
}

}  // namespace vt::cli
