// `-o PATH` never destroys what leasesim did not create (issue 17 §1): a device, FIFO or /dev/stdout
// is written in place and stays what it was; a folder or socket is refused with exit 2; a symbolic
// link is followed to the file it names (the link stays); and temporaries left by a killed writer of
// the same target are removed by the next write, nothing else.
#include <catch2/catch.hpp>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "cli_support.hpp"
#include "leasesim/report/output.hpp"

using namespace leasesim::test;

namespace {

void write_file(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

// The PID of a process that has exited and been reaped.
pid_t dead_pid() {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return pid;
}

std::string gpus_csv() {
  static const std::string csv = run_cli({"presets", "gpus", "--format", "csv"}).out;
  return csv;
}

}  // namespace

// The tests on /dev/null and /dev/stdout first check the same thing on a device node and a link of
// their own in a scratch folder, and stop there when it fails: a binary that regressed never gets
// to replace the machine's /dev/null or /dev/stdout (and if it does anyway, the test puts them back).

TEST_CASE("the output option (-o) to a character device writes in place: -o /dev/null leaves /dev/null a device",
          "[cli][output]") {
  struct stat null_dev {};
  REQUIRE(::stat("/dev/null", &null_dev) == 0);
  REQUIRE(S_ISCHR(null_dev.st_mode));
  ScratchDir dir;
  const auto own = dir.path() / "null";
  if (::mknod(own.c_str(), S_IFCHR | 0666, null_dev.st_rdev) != 0) {
    FAIL("mknod " << own.string() << ": " << std::strerror(errno) << " (this test needs root, as CI runs it)");
  }
  const Run first = run_cli({"presets", "gpus", "--format", "csv", "-o", own.string()});
  CHECK(first.code == 0);
  CHECK(first.err.empty());
  struct stat own_after {};
  REQUIRE(::lstat(own.c_str(), &own_after) == 0);
  REQUIRE(S_ISCHR(own_after.st_mode));
  REQUIRE(own_after.st_rdev == null_dev.st_rdev);
  REQUIRE(dir.entries() == std::vector<std::string>{"null"});

  for (const auto& args : {std::vector<std::string>{"presets", "gpus", "--format", "csv", "-o", "/dev/null"},
                           std::vector<std::string>{"schema", "-o", "/dev/null"}}) {
    INFO(args.front());
    const Run r = run_cli(args);
    CHECK(r.code == 0);
    CHECK(r.out.empty());
    CHECK(r.err.empty());
    struct stat after {};
    REQUIRE(::lstat("/dev/null", &after) == 0);
    if (!S_ISCHR(after.st_mode) || after.st_rdev != null_dev.st_rdev) {
      ::unlink("/dev/null");
      ::mknod("/dev/null", S_IFCHR | 0666, null_dev.st_rdev);
      ::chmod("/dev/null", 0666);
      FAIL("-o /dev/null replaced /dev/null (restored)");
    }
    CHECK(after.st_ino == null_dev.st_ino);
  }
}

TEST_CASE("the output option (-o) to /dev/stdout writes to standard output, appending when the shell appends",
          "[cli][output]") {
  ScratchDir dir;
  // A link of our own to our standard output, as /dev/stdout is: written through, kept.
  const auto own = dir.path() / "stdout";
  fs::create_symlink("/proc/self/fd/1", own);
  const Run first = run_cli({"presets", "gpus", "--format", "csv", "-o", own.string()});
  CHECK(first.code == 0);
  CHECK(first.out == gpus_csv());
  REQUIRE(fs::is_symlink(fs::symlink_status(own)));
  REQUIRE(dir.entries() == std::vector<std::string>{"stdout"});
  fs::remove(own);

  std::error_code ec;
  const auto link_before = fs::symlink_status("/dev/stdout", ec);
  REQUIRE(fs::exists(link_before));
  const fs::path target_before = fs::is_symlink(link_before) ? fs::read_symlink("/dev/stdout") : fs::path();
  const Run r = run_cli({"presets", "gpus", "--format", "csv", "-o", "/dev/stdout"});
  CHECK(r.code == 0);
  CHECK(r.out == gpus_csv());
  const auto link_after = fs::symlink_status("/dev/stdout", ec);
  if (link_after.type() != link_before.type()) {
    if (fs::is_symlink(link_before) && fs::is_regular_file(link_after)) {
      fs::remove("/dev/stdout");
      fs::create_symlink(target_before, "/dev/stdout");
    }
    FAIL("-o /dev/stdout replaced /dev/stdout (restored when it was a link)");
  }

  // stdout appended to a regular file: the output goes after what is there, the file is not replaced.
  const auto file = dir.path() / "log.txt";
  write_file(file, "first line\n");
  struct stat file_before {};
  REQUIRE(::stat(file.c_str(), &file_before) == 0);
  const std::string cmd = quote(LEASESIM_CLI) + " presets gpus --format csv -o /dev/stdout >>" + quote(file.string());
  REQUIRE(std::system(cmd.c_str()) == 0);
  CHECK(read_text(file) == "first line\n" + gpus_csv());
  struct stat file_after {};
  REQUIRE(::stat(file.c_str(), &file_after) == 0);
  CHECK(file_after.st_ino == file_before.st_ino);
  CHECK(dir.entries() == std::vector<std::string>{"log.txt"});
}

TEST_CASE("the output option (-o) into a FIFO writes through it and leaves it a FIFO", "[cli][output]") {
  ScratchDir dir;
  const auto fifo = dir.path() / "pipe";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  // Held open for reading (and writing, so opening it never blocks); the CSV fits the pipe's buffer.
  const int fd = ::open(fifo.c_str(), O_RDWR | O_NONBLOCK);
  REQUIRE(fd >= 0);
  const Run r = run_cli({"presets", "gpus", "--format", "csv", "-o", fifo.string()});
  CHECK(r.code == 0);
  CHECK(r.err.empty());
  std::string got(1 << 16, '\0');
  const ssize_t n = ::read(fd, got.data(), got.size());
  ::close(fd);
  REQUIRE(n >= 0);
  got.resize(static_cast<std::size_t>(n));
  CHECK(got == gpus_csv());
  CHECK(fs::is_fifo(fs::symlink_status(fifo)));
  CHECK(dir.entries() == std::vector<std::string>{"pipe"});
}

TEST_CASE("the output option (-o) naming a folder exits 2 with one line and leaves the folder as it was",
          "[cli][output]") {
  ScratchDir dir;
  const auto folder = dir.path() / "results";
  fs::create_directory(folder);
  write_file(folder / "keep.txt", "keep\n");
  for (const auto& target : {folder.string(), folder.string() + "/"}) {
    const Run r = run_cli({"presets", "gpus", "--format", "csv", "-o", target});
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK(r.err == "leasesim: -o " + target + ": is a directory\n");
  }
  // A link to a folder is refused the same way, and stays a link.
  fs::create_directory_symlink(folder, dir.path() / "link");
  const Run r = run_cli({"run", default_scenario, "--resolve-only", "-o", (dir.path() / "link").string()});
  CHECK(r.code == 2);
  CHECK(r.err == "leasesim: -o " + (dir.path() / "link").string() + ": is a directory\n");
  CHECK(fs::is_symlink(dir.path() / "link"));
  CHECK(dir.entries() == std::vector<std::string>{"link", "results"});
  CHECK(read_text(folder / "keep.txt") == "keep\n");
  CHECK(std::distance(fs::directory_iterator(folder), fs::directory_iterator()) == 1);
}

TEST_CASE("the output option (-o) naming a socket exits 2 and leaves the socket", "[cli][output]") {
  ScratchDir dir;
  const auto path = dir.path() / "s";
  const int s = ::socket(AF_UNIX, SOCK_STREAM, 0);
  REQUIRE(s >= 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  REQUIRE(path.string().size() < sizeof(addr.sun_path));
  std::strcpy(addr.sun_path, path.c_str());
  REQUIRE(::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  const Run r = run_cli({"presets", "gpus", "--format", "csv", "-o", path.string()});
  ::close(s);
  CHECK(r.code == 2);
  CHECK(r.err ==
        "leasesim: cannot write " + path.string() + ": it is a socket (write to stdout and redirect instead)\n");
  CHECK(fs::is_socket(fs::symlink_status(path)));
  CHECK(dir.entries() == std::vector<std::string>{"s"});
}

TEST_CASE("the output option (-o) through a symbolic link replaces the file it names, atomically, and keeps the link",
          "[cli][output]") {
  ScratchDir dir;
  fs::create_directory(dir.path() / "data");
  fs::create_directory(dir.path() / "links");
  const auto real = dir.path() / "data" / "gpus.csv";
  write_file(real, "old\n");
  fs::permissions(real, fs::perms::owner_read | fs::perms::owner_write);
  const auto link = dir.path() / "links" / "gpus.csv";
  fs::create_symlink("../data/gpus.csv", link);  // relative to the link's folder, not ours

  const Run r = run_cli({"presets", "gpus", "--format", "csv", "-o", link.string()});
  CHECK(r.code == 0);
  CHECK(r.err.empty());
  CHECK(fs::is_symlink(link));
  CHECK(fs::read_symlink(link) == "../data/gpus.csv");
  CHECK(read_text(real) == gpus_csv());
  CHECK(fs::is_regular_file(fs::symlink_status(real)));
  CHECK(fs::status(real).permissions() == (fs::perms::owner_read | fs::perms::owner_write));  // kept, not 0644
  std::vector<std::string> in_data, in_links;
  for (const auto& e : fs::directory_iterator(dir.path() / "data")) in_data.push_back(e.path().filename().string());
  for (const auto& e : fs::directory_iterator(dir.path() / "links")) in_links.push_back(e.path().filename().string());
  CHECK(in_data == std::vector<std::string>{"gpus.csv"});
  CHECK(in_links == std::vector<std::string>{"gpus.csv"});

  // A link to a file not there yet: the file is created where the link points.
  const auto dangling = dir.path() / "links" / "new.csv";
  fs::create_symlink("../data/new.csv", dangling);
  CHECK(run_cli({"presets", "gpus", "--format", "csv", "-o", dangling.string()}).code == 0);
  CHECK(fs::is_symlink(dangling));
  CHECK(read_text(dir.path() / "data" / "new.csv") == gpus_csv());
}

TEST_CASE("the output option (-o) removes temporaries of the same target left by dead writers, and nothing else",
          "[cli][output]") {
  ScratchDir dir;
  const std::string dead = std::to_string(dead_pid());
  const std::string alive = std::to_string(::getpid());  // this test process: alive, so its temporary is kept
  const std::vector<std::string> stale{".out.csv.leasesim-tmp-" + dead + "-Ab12Cd"};
  const std::vector<std::string> kept{
      ".out.csv.leasesim-tmp-" + alive + "-Ab12Cd",    // a live writer's
      ".other.csv.leasesim-tmp-" + dead + "-Ab12Cd",   // another target's
      ".out.csv.leasesim-tmp-" + dead + "-notes.txt",  // not our pattern
      ".out.csv.leasesim-tmp-notes",                   // not our pattern
      ".out.csv.tmp-Ab12Cd",                           // leasesim 0.1.0's pattern: no PID to ask
      "out.csv.leasesim-tmp-" + dead + "-Ab12Cd",      // no leading dot
      "notes.txt",
  };
  for (const auto& name : stale) write_file(dir.path() / name, "half a result");
  for (const auto& name : kept) write_file(dir.path() / name, "someone's");
  fs::create_directory(dir.path() / (".out.csv.leasesim-tmp-" + dead + "-Zz99Zz"));  // a folder: not ours

  const Run r = run_cli({"presets", "gpus", "--format", "csv", "-o", (dir.path() / "out.csv").string()});
  CHECK(r.code == 0);
  CHECK(read_text(dir.path() / "out.csv") == gpus_csv());
  for (const auto& name : stale) CHECK_FALSE(fs::exists(dir.path() / name));
  for (const auto& name : kept) {
    INFO(name);
    CHECK(read_text(dir.path() / name) == "someone's");
  }
  CHECK(fs::is_directory(dir.path() / (".out.csv.leasesim-tmp-" + dead + "-Zz99Zz")));
  CHECK(dir.entries().size() == kept.size() + 2);  // the kept files, the folder, out.csv
}

TEST_CASE("temporary names: per target, with the writer's PID; stale only when that writer is gone", "[output]") {
  using leasesim::report::is_stale_temporary;
  using leasesim::report::is_temporary_of;
  long pid = 0;
  CHECK(is_temporary_of(".a.csv.leasesim-tmp-123-Ab12Cd", "a.csv", pid));
  CHECK(pid == 123);
  CHECK_FALSE(is_temporary_of(".a.csv.leasesim-tmp-123-Ab12Cd", "b.csv", pid));
  CHECK_FALSE(is_temporary_of(".a.csv.leasesim-tmp-123-Ab12Cd", "csv", pid));
  CHECK_FALSE(is_temporary_of(".a.csv.leasesim-tmp-123-Ab12C", "a.csv", pid));  // 5 random characters
  CHECK_FALSE(is_temporary_of(".a.csv.leasesim-tmp-123-Ab12Cd.", "a.csv", pid));
  CHECK_FALSE(is_temporary_of(".a.csv.leasesim-tmp--Ab12Cd", "a.csv", pid));  // no PID
  CHECK_FALSE(is_temporary_of(".a.csv.leasesim-tmp-0-Ab12Cd", "a.csv", pid));
  CHECK_FALSE(is_temporary_of(".a.csv.leasesim-tmp-12x-Ab12Cd", "a.csv", pid));
  CHECK_FALSE(is_temporary_of("a.csv.leasesim-tmp-123-Ab12Cd", "a.csv", pid));
  const std::string dead = std::to_string(dead_pid());
  CHECK(is_stale_temporary(".00000001.row.json.leasesim-tmp-" + dead + "-Ab12Cd"));
  CHECK_FALSE(is_stale_temporary(".00000001.row.json.leasesim-tmp-" + std::to_string(::getpid()) + "-Ab12Cd"));
  CHECK_FALSE(is_stale_temporary(".00000001.row.json.leasesim-tmp-1-Ab12Cd"));  // init is alive
  CHECK(is_stale_temporary(".00000001.row.json.tmp-Ab12Cd"));                   // leasesim 0.1.0's
  CHECK_FALSE(is_stale_temporary(".gitkeep"));
  CHECK_FALSE(is_stale_temporary(".notes.tmp-1"));
  CHECK_FALSE(is_stale_temporary("00000001.row.json"));
}
