// LogWriter over SQL (both dialects): the queries of the log tables.
#include <string>

#include "store/log/log_repo.h"

namespace vt::store {
namespace {

class SqlLogRepo final : public LogWriter {
 public:
  explicit SqlLogRepo(Conn& conn) : c_(conn) {}

  StatusOr<StoredCheckpoint> GetCheckpoint() override {
    VT_ASSIGN_OR_RETURN(auto row,
                        c_.QueryOne("SELECT size, root, checkpoint FROM log_state WHERE id = 1"));
    return StoredCheckpoint{row.Int(0), row.Bytes(1), row.Text(2)};
  }

  StatusOr<std::vector<std::string>> LooseEntries(int64_t lo, int64_t hi) override {
    VT_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT idx, data FROM log_entries WHERE idx >= ? "
                                            "AND idx < ? ORDER BY idx",
                                            {lo, hi}));
    std::vector<std::string> out;
    out.reserve(rows.size());
    for (auto& r : rows) out.push_back(r.Bytes(1));
    return out;
  }

  StatusOr<std::string> LooseEntry(int64_t index) override {
    VT_ASSIGN_OR_RETURN(auto row,
                        c_.QueryOne("SELECT data FROM log_entries WHERE idx = ?", {index}));
    return row.Bytes(0);
  }

  StatusOr<std::string> Bundle(int64_t index) override {
    VT_ASSIGN_OR_RETURN(auto row,
                        c_.QueryOne("SELECT data FROM log_bundles WHERE idx = ?", {index}));
    return row.Bytes(0);
  }

  StatusOr<std::vector<int64_t>> BundlesOfLooseEntriesBelow(int64_t end) override {
    VT_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT DISTINCT idx / 256 FROM log_entries "
                                            "WHERE idx < ? ORDER BY 1",
                                            {end}));
    std::vector<int64_t> out;
    for (const auto& r : rows) out.push_back(r.Int(0));
    return out;
  }

  StatusOr<std::string> FullTile(int level, int64_t index) override {
    VT_ASSIGN_OR_RETURN(auto row, c_.QueryOne("SELECT data FROM log_tiles WHERE level = ? AND "
                                              "idx = ?",
                                              {int64_t{level}, index}));
    return row.Bytes(0);
  }

  StatusOr<std::string> EdgeTile(int level, int64_t index) override {
    VT_ASSIGN_OR_RETURN(auto row,
                        c_.QueryOne("SELECT data FROM log_edge_tiles WHERE level = ? AND idx = ?",
                                    {int64_t{level}, index}));
    return row.Bytes(0);
  }

  Status CreateCheckpoint(const std::string& root, const std::string& note) override {
    return c_
        .Exec(
            "INSERT INTO log_state(id, size, root, checkpoint) VALUES(1, 0, ?, ?) "
            "ON CONFLICT (id) DO NOTHING",
            {Blob{root}, note})
        .status();
  }

  StatusOr<bool> AdvanceCheckpoint(int64_t base_size, int64_t size, const std::string& root,
                                   const std::string& note) override {
    VT_ASSIGN_OR_RETURN(int64_t changed,
                        c_.Exec("UPDATE log_state SET size = ?, root = ?, checkpoint = ? "
                                "WHERE id = 1 AND size = ?",
                                {size, Blob{root}, note, base_size}));
    return changed == 1;
  }

  Status InsertLooseEntry(int64_t index, const std::string& data) override {
    return c_.Exec("INSERT INTO log_entries(idx, data) VALUES(?, ?)", {index, Blob{data}}).status();
  }

  Status DeleteLooseEntries(int64_t lo, int64_t hi) override {
    return c_.Exec("DELETE FROM log_entries WHERE idx >= ? AND idx < ?", {lo, hi}).status();
  }

  Status InsertBundle(int64_t index, const std::string& data) override {
    return c_.Exec("INSERT INTO log_bundles(idx, data) VALUES(?, ?)", {index, Blob{data}}).status();
  }

  Status PutFullTile(int level, int64_t index, const std::string& hashes) override {
    return c_
        .Exec(
            "INSERT INTO log_tiles(level, idx, data) VALUES(?, ?, ?) "
            "ON CONFLICT (level, idx) DO UPDATE SET data = excluded.data",
            {int64_t{level}, index, Blob{hashes}})
        .status();
  }

  Status DropEdgeTile(int level, int64_t index) override {
    return c_
        .Exec("DELETE FROM log_edge_tiles WHERE level = ? AND idx = ?", {int64_t{level}, index})
        .status();
  }

  Status PutEdgeTile(int level, int64_t index, const std::string& hashes) override {
    return c_
        .Exec(
            "INSERT INTO log_edge_tiles(level, idx, data) VALUES(?, ?, ?) ON CONFLICT (level) "
            "DO UPDATE SET idx = excluded.idx, data = excluded.data",
            {int64_t{level}, index, Blob{hashes}})
        .status();
  }

 private:
  Conn& c_;
};

}  // namespace

std::unique_ptr<LogWriter> NewSqlLogRepo(Conn& conn) { return std::make_unique<SqlLogRepo>(conn); }

}  // namespace vt::store
