// Tests for src/repo: disk, Git and memory trees, locate, remotes. Real files in a temporary directory.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/error.h"
#include "repo/file_tree.h"

namespace fs = std::filesystem;

namespace {

/// A fresh directory under /tmp, removed (without following symlinks) at scope exit.
class TempDir {
 public:
  TempDir() {
    std::string pattern = "/tmp/gl-repo-test-XXXXXX";
    const char* made = ::mkdtemp(pattern.data());
    REQUIRE(made != nullptr);
    path_ = made;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_ + "/" + rel; }

 private:
  std::string path_;
};

void write_file(const std::string& path, const std::string& contents) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out << contents;
  REQUIRE(out.good());
}

void make_link(const std::string& target, const std::string& link) {
  fs::create_directories(fs::path(link).parent_path());
  REQUIRE(::symlink(target.c_str(), link.c_str()) == 0);
}

std::vector<std::string> paths_of(const std::vector<gl::repo::Entry>& entries) {
  std::vector<std::string> out;
  for (const auto& entry : entries) out.push_back(entry.path);
  return out;
}

const gl::repo::Entry& find_entry(const std::vector<gl::repo::Entry>& entries, const std::string& path) {
  const auto it = std::find_if(entries.begin(), entries.end(), [&](const auto& e) { return e.path == path; });
  REQUIRE(it != entries.end());
  return *it;
}

bool has_entry(const std::vector<gl::repo::Entry>& entries, const std::string& path) {
  return std::any_of(entries.begin(), entries.end(), [&](const auto& e) { return e.path == path; });
}

std::string read_ok(const gl::repo::FileTree& tree, const std::string& path, uint64_t max = 1 << 20) {
  const gl::repo::ReadResult result = tree.read(path, max);
  INFO(path << ": " << result.error);
  REQUIRE(result.data.has_value());
  return *result.data;
}

std::string read_error(const gl::repo::FileTree& tree, const std::string& path, uint64_t max = 1 << 20) {
  const gl::repo::ReadResult result = tree.read(path, max);
  INFO(path);
  REQUIRE_FALSE(result.data.has_value());
  REQUIRE_FALSE(result.error.empty());
  return result.error;
}

/// Runs git in `dir` with a fixed identity; the test fails when git does.
void git(const std::string& dir, const std::string& args) {
  const std::string cmd = "git -C '" + dir +
                          "' -c user.name=t -c user.email=t@t -c commit.gpgsign=false -c core.symlinks=true "
                          "-c init.defaultBranch=main " +
                          args + " >/dev/null 2>&1";
  INFO(cmd);
  REQUIRE(std::system(cmd.c_str()) == 0);
}

std::string git_output(const std::string& dir, const std::string& args, const TempDir& scratch) {
  const std::string out_file = scratch / "git-output.txt";
  const std::string cmd = "git -C '" + dir + "' " + args + " >'" + out_file + "' 2>/dev/null";
  REQUIRE(std::system(cmd.c_str()) == 0);
  std::ifstream in(out_file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("disk tree walks sorted, skips .git, reads files", "[repo]") {
  TempDir dir;
  write_file(dir / "b.yaml", "b: 1\n");
  write_file(dir / "a.txt", "text");
  write_file(dir / "a/x.yaml", "x: 1\n");
  write_file(dir / "a/y/z.yaml", "z: 22\n");
  write_file(dir / ".git/config", "[core]\n");
  write_file(dir / "a/.git/HEAD", "nested git dir\n");
  const auto tree = gl::repo::open_disk_tree(dir.path());

  const auto all = tree->walk("");
  CHECK(paths_of(all) == std::vector<std::string>{"a", "a.txt", "a/x.yaml", "a/y", "a/y/z.yaml", "b.yaml"});
  CHECK(find_entry(all, "a").kind == gl::repo::EntryKind::kDirectory);
  CHECK(find_entry(all, "a/y/z.yaml").kind == gl::repo::EntryKind::kFile);
  CHECK(find_entry(all, "a/y/z.yaml").size == 6);

  CHECK(paths_of(tree->walk("a")) == std::vector<std::string>{"a/x.yaml", "a/y", "a/y/z.yaml"});
  CHECK(paths_of(tree->walk("./a/y/")) == std::vector<std::string>{"a/y/z.yaml"});
  CHECK(tree->walk("missing").empty());
  CHECK(tree->walk("..").empty());

  CHECK(read_ok(*tree, "a/y/z.yaml") == "z: 22\n");
  CHECK(read_ok(*tree, "a/y/../x.yaml") == "x: 1\n");
  CHECK(read_error(*tree, "missing.yaml").find("does not exist") != std::string::npos);
  CHECK(read_error(*tree, "a").find("is a directory") != std::string::npos);
  read_error(*tree, ".git/config");
  CHECK(read_error(*tree, "../" + fs::path(dir.path()).filename().string() + "/b.yaml").find("outside") !=
        std::string::npos);
  CHECK(read_error(*tree, dir / "b.yaml").find("outside") != std::string::npos);

  const auto entry = tree->stat("a/x.yaml");
  REQUIRE(entry.has_value());
  CHECK(entry->kind == gl::repo::EntryKind::kFile);
  CHECK(entry->size == 5);
  CHECK(tree->stat("a")->kind == gl::repo::EntryKind::kDirectory);
  CHECK_FALSE(tree->stat("nope").has_value());
  CHECK_FALSE(tree->stat(".git").has_value());
  CHECK(tree->describe().find(dir.path()) != std::string::npos);

  CHECK_THROWS_AS(gl::repo::open_disk_tree(dir / "does-not-exist"), gl::FatalError);
}

TEST_CASE("disk tree follows symlinks only inside the root", "[repo]") {
  // Both ways of opening: openat2 with RESOLVE_BENEATH, and one component at a time (older kernels).
  const bool openat2 = GENERATE(true, false);
  INFO("openat2: " << openat2);
  TempDir outside;
  write_file(outside / "secret.txt", "secret");
  TempDir dir;
  write_file(dir / "a/x.yaml", "x: 1\n");
  write_file(dir / "b.yaml", "b: 1\n");
  make_link("a/x.yaml", dir / "in.yaml");
  make_link("../b.yaml", dir / "a/up.yaml");
  make_link("/etc/passwd", dir / "passwd");
  make_link("../../x", dir / "a/esc");
  make_link(outside.path(), dir / "outdir");
  make_link("a", dir / "indir");
  make_link(dir / "b.yaml", dir / "abs_in.yaml");
  make_link("../" + fs::path(dir.path()).filename().string() + "/b.yaml", dir / "roundabout.yaml");
  make_link("l2", dir / "l1");
  make_link("l1", dir / "l2");
  make_link("nope.yaml", dir / "dangling.yaml");
  const auto tree = gl::repo::open_disk_tree(dir.path(), openat2);
  const auto all = tree->walk("");

  const auto& in = find_entry(all, "in.yaml");
  CHECK(in.kind == gl::repo::EntryKind::kSymlink);
  CHECK(in.link_target == "a/x.yaml");
  CHECK_FALSE(in.link_escapes);
  CHECK(in.link_resolved == "a/x.yaml");
  CHECK(in.size == 5);
  CHECK(read_ok(*tree, "in.yaml") == "x: 1\n");
  CHECK(find_entry(all, "a/up.yaml").link_resolved == "b.yaml");
  CHECK(read_ok(*tree, "a/up.yaml") == "b: 1\n");

  const auto& abs_in = find_entry(all, "abs_in.yaml");
  CHECK_FALSE(abs_in.link_escapes);
  CHECK(abs_in.link_resolved == "b.yaml");
  CHECK(read_ok(*tree, "abs_in.yaml") == "b: 1\n");

  for (const std::string escaping : {"passwd", "a/esc", "outdir", "roundabout.yaml"}) {
    INFO(escaping);
    const auto& entry = find_entry(all, escaping);
    CHECK(entry.kind == gl::repo::EntryKind::kSymlink);
    CHECK(entry.link_escapes);
    CHECK(entry.link_resolved.empty());
    CHECK(read_error(*tree, escaping).find("outside") != std::string::npos);
  }
  CHECK(find_entry(all, "passwd").link_target == "/etc/passwd");

  // A directory symlink is listed, never descended; reading through one that leaves the root is refused.
  CHECK_FALSE(has_entry(all, "outdir/secret.txt"));
  CHECK(read_error(*tree, "outdir/secret.txt").find("outside") != std::string::npos);
  CHECK(tree->walk("outdir").empty());
  CHECK_FALSE(tree->stat("outdir/secret.txt").has_value());
  const auto& indir = find_entry(all, "indir");
  CHECK(indir.kind == gl::repo::EntryKind::kSymlink);
  CHECK(indir.link_resolved == "a");
  CHECK_FALSE(has_entry(all, "indir/x.yaml"));
  CHECK(read_ok(*tree, "indir/x.yaml") == "x: 1\n");
  CHECK(paths_of(tree->walk("indir")) == std::vector<std::string>{"indir/esc", "indir/up.yaml", "indir/x.yaml"});

  CHECK(read_error(*tree, "l1").find("too many levels") != std::string::npos);
  CHECK(find_entry(all, "dangling.yaml").link_resolved == "nope.yaml");
  CHECK(read_error(*tree, "dangling.yaml").find("does not exist") != std::string::npos);

  const auto link_stat = tree->stat("passwd");
  REQUIRE(link_stat.has_value());
  CHECK(link_stat->kind == gl::repo::EntryKind::kSymlink);
  CHECK(link_stat->link_escapes);

  // The tree remembers what it listed; a file swapped for an escaping symlink afterwards is still refused
  // (the open itself never follows a link), and so is a directory swapped for one.
  fs::remove(dir / "b.yaml");
  make_link(outside / "secret.txt", dir / "b.yaml");
  CHECK(read_error(*tree, "b.yaml").find("secret") == std::string::npos);
  CHECK(tree->read("b.yaml", 1 << 20).data == std::nullopt);
  fs::rename(dir / "a", dir / "a.moved");
  make_link(outside.path(), dir / "a");
  write_file(outside / "x.yaml", "outside\n");
  CHECK(tree->read("a/x.yaml", 1 << 20).data == std::nullopt);
}

TEST_CASE("disk tree enforces the size limit before reading", "[repo]") {
  TempDir dir;
  write_file(dir / "big.yaml", std::string(100, 'x'));
  make_link("big.yaml", dir / "big-link.yaml");
  const auto tree = gl::repo::open_disk_tree(dir.path());
  CHECK(read_ok(*tree, "big.yaml", 100).size() == 100);
  const std::string error = read_error(*tree, "big.yaml", 99);
  CHECK(error.find("100 bytes") != std::string::npos);
  CHECK(error.find("limit of 99 bytes") != std::string::npos);
  read_error(*tree, "big-link.yaml", 99);
}

TEST_CASE("disk tree skips and refuses FIFOs without hanging", "[repo]") {
  TempDir dir;
  write_file(dir / "a.yaml", "a: 1\n");
  REQUIRE(::mkfifo((dir / "pipe.yaml").c_str(), 0600) == 0);
  make_link("pipe.yaml", dir / "to-pipe.yaml");
  const auto tree = gl::repo::open_disk_tree(dir.path());
  const auto all = tree->walk("");
  CHECK_FALSE(has_entry(all, "pipe.yaml"));
  CHECK(has_entry(all, "to-pipe.yaml"));
  CHECK(read_error(*tree, "pipe.yaml").find("not a regular file") != std::string::npos);
  CHECK(read_error(*tree, "to-pipe.yaml").find("not a regular file") != std::string::npos);
  CHECK_FALSE(tree->stat("pipe.yaml").has_value());
}

TEST_CASE("git tree reads a revision, not the work tree", "[repo]") {
  TempDir scratch;
  TempDir dir;
  git(dir.path(), "init -q");
  write_file(dir / "apps/app.yaml", "version: 1\n");
  write_file(dir / "readme.md", "hi\n");
  make_link("apps/app.yaml", dir / "link.yaml");
  make_link("../../etc/passwd", dir / "apps/esc");
  git(dir.path(), "add -A");
  git(dir.path(), "commit -q -m one");
  write_file(dir / "apps/app.yaml", "version: 2\n");
  write_file(dir / "apps/new.yaml", "new: true\n");
  git(dir.path(), "add -A");
  git(dir.path(), "commit -q -m two");
  write_file(dir / "apps/app.yaml", "version: 3 uncommitted\n");
  const std::string status_before = git_output(dir.path(), "status --porcelain", scratch);
  const std::string head = git_output(dir.path(), "rev-parse --short=7 HEAD", scratch).substr(0, 7);

  const auto old_tree = gl::repo::open_git_tree(dir.path(), "HEAD~1");
  const auto new_tree = gl::repo::open_git_tree(dir.path(), "HEAD");
  const auto disk = gl::repo::open_disk_tree(dir.path());

  CHECK(read_ok(*old_tree, "apps/app.yaml") == "version: 1\n");
  CHECK(read_error(*old_tree, "apps/new.yaml").find("does not exist") != std::string::npos);
  CHECK(read_ok(*new_tree, "apps/app.yaml") == "version: 2\n");
  CHECK(read_ok(*new_tree, "apps/new.yaml") == "new: true\n");
  CHECK(read_ok(*disk, "apps/app.yaml") == "version: 3 uncommitted\n");
  CHECK(git_output(dir.path(), "status --porcelain", scratch) == status_before);

  const auto all = new_tree->walk("");
  CHECK(paths_of(all) ==
        std::vector<std::string>{"apps", "apps/app.yaml", "apps/esc", "apps/new.yaml", "link.yaml", "readme.md"});
  CHECK(find_entry(all, "apps").kind == gl::repo::EntryKind::kDirectory);
  CHECK(find_entry(all, "apps/app.yaml").size == 11);
  const auto& link = find_entry(all, "link.yaml");
  CHECK(link.kind == gl::repo::EntryKind::kSymlink);
  CHECK(link.link_resolved == "apps/app.yaml");
  CHECK(read_ok(*new_tree, "link.yaml") == "version: 2\n");
  CHECK(find_entry(all, "apps/esc").link_escapes);
  CHECK(read_error(*new_tree, "apps/esc").find("outside") != std::string::npos);
  CHECK(read_error(*new_tree, "apps/app.yaml", 5).find("limit") != std::string::npos);
  CHECK(paths_of(new_tree->walk("apps")) == std::vector<std::string>{"apps/app.yaml", "apps/esc", "apps/new.yaml"});
  CHECK(new_tree->stat("apps/new.yaml")->size == 10);
  CHECK(new_tree->describe() == "revision " + head + " (HEAD) of " + dir.path());

  SECTION("concurrent reads") {
    std::vector<std::string> results(2);
    std::vector<std::thread> threads;
    for (size_t t = 0; t < results.size(); ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 200; ++i)
          results[t] += new_tree->read(i % 2 ? "apps/app.yaml" : "readme.md", 100).data.value_or("!");
      });
    }
    for (auto& thread : threads) thread.join();
    CHECK(results[0] == results[1]);
    CHECK(results[0].find('!') == std::string::npos);
  }

  SECTION("errors") {
    try {
      gl::repo::open_git_tree(dir.path(), "no-such-rev");
      FAIL("expected FatalError");
    } catch (const gl::FatalError& e) {
      CHECK(std::string(e.what()).find("unknown revision `no-such-rev`") != std::string::npos);
    }
    try {
      gl::repo::open_git_tree(scratch.path(), "HEAD");
      FAIL("expected FatalError");
    } catch (const gl::FatalError& e) {
      CHECK(std::string(e.what()).find("cannot open Git repository at " + scratch.path()) != std::string::npos);
    }
  }

  SECTION("locate and remotes") {
    const std::string root = fs::canonical(dir.path()).string();
    const gl::repo::Location at_sub = gl::repo::locate(dir / "apps");
    CHECK(at_sub.root == root);
    CHECK(at_sub.subdir == "apps");
    CHECK(at_sub.is_git);
    const gl::repo::Location at_root = gl::repo::locate(dir.path());
    CHECK(at_root.root == root);
    CHECK(at_root.subdir.empty());
    CHECK(at_root.is_git);

    CHECK(gl::repo::git_remote_urls(root).empty());
    git(dir.path(), "remote add origin https://example.com/b.git");
    git(dir.path(), "remote add upstream https://example.com/a.git");
    CHECK(gl::repo::git_remote_urls(root) ==
          std::vector<std::string>{"https://example.com/a.git", "https://example.com/b.git"});
    CHECK(gl::repo::git_remote_urls(scratch.path()).empty());
  }
}

TEST_CASE("locate without Git and on bad paths", "[repo]") {
  TempDir dir;
  write_file(dir / "sub/file.yaml", "a: 1\n");
  const gl::repo::Location plain = gl::repo::locate(dir / "sub");
  CHECK(plain.root == fs::canonical(dir / "sub").string());
  CHECK(plain.subdir.empty());
  CHECK_FALSE(plain.is_git);
  CHECK_THROWS_AS(gl::repo::locate(dir / "missing"), gl::FatalError);
  CHECK_THROWS_AS(gl::repo::locate(dir / "sub/file.yaml"), gl::FatalError);
}

TEST_CASE("memory tree", "[repo]") {
  const auto tree = gl::repo::open_memory_tree({
      {"apps/b.yaml", "b"},
      {"apps/a.yaml", "a"},
      {"top.yaml", "top"},
      {"link.yaml", "@link:apps/a.yaml"},
      {"apps/up", "@link:../../outside"},
      {"alias", "@link:apps"},
  });
  const auto all = tree->walk("");
  CHECK(paths_of(all) ==
        std::vector<std::string>{"alias", "apps", "apps/a.yaml", "apps/b.yaml", "apps/up", "link.yaml", "top.yaml"});
  CHECK(find_entry(all, "apps").kind == gl::repo::EntryKind::kDirectory);
  CHECK(find_entry(all, "link.yaml").link_resolved == "apps/a.yaml");
  CHECK(find_entry(all, "link.yaml").size == 1);
  CHECK(find_entry(all, "apps/up").link_escapes);
  CHECK(find_entry(all, "alias").link_resolved == "apps");
  CHECK(read_ok(*tree, "link.yaml") == "a");
  CHECK(read_ok(*tree, "alias/b.yaml") == "b");
  CHECK(read_error(*tree, "apps/up").find("outside") != std::string::npos);
  CHECK(read_error(*tree, "top.yaml", 2).find("limit") != std::string::npos);
  CHECK(read_error(*tree, "top.yaml/x").find("not a directory") != std::string::npos);
  CHECK(paths_of(tree->walk("alias")) == std::vector<std::string>{"alias/a.yaml", "alias/b.yaml", "alias/up"});
  CHECK(tree->stat("apps/b.yaml")->size == 1);
  CHECK_FALSE(tree->stat("nope").has_value());
  CHECK(tree->describe() == "memory");
}
