// tcpstates against the kernel: the test listens on 127.0.0.1, connects
// to itself and closes both ends, and the client's SYN_SENT and
// ESTABLISHED changes and the server's LISTEN and ESTABLISHED changes show
// up with their ports.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <optional>

#include "gtest/gtest.h"
#include "tests/support/sample_run.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

struct Ports {
  int server = 0;
  int client = 0;
};

int LocalPort(int fd) {
  sockaddr_in address{};
  socklen_t length = sizeof(address);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return 0;
  return ntohs(address.sin_port);
}

// Connects to a listener of its own on the loopback address, on ports
// that the kernel picks, and closes both ends.
bool ConnectToSelf(Ports* ports) {
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = listener >= 0 &&
            bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
            listen(listener, 1) == 0;
  ports->server = ok ? LocalPort(listener) : 0;
  address.sin_port = htons(static_cast<uint16_t>(ports->server));

  int client = socket(AF_INET, SOCK_STREAM, 0);
  ok = ok && client >= 0 &&
       connect(client, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  ports->client = ok ? LocalPort(client) : 0;
  int accepted = ok ? accept(listener, nullptr, nullptr) : -1;
  ok = ok && accepted >= 0;

  if (accepted >= 0) close(accepted);
  if (client >= 0) close(client);
  if (listener >= 0) close(listener);
  return ok && ports->server != 0 && ports->client != 0;
}

// Returns the first event with these ports and states, or nullopt.
std::optional<nlohmann::json> FindChange(const std::vector<nlohmann::json>& events, int sport,
                                         int dport, const std::string& old_state,
                                         const std::string& new_state) {
  for (const nlohmann::json& event : events) {
    if (event.at("sport") == sport && event.at("dport") == dport &&
        event.at("old") == old_state && event.at("new") == new_state) {
      return event;
    }
  }
  return std::nullopt;
}

TEST(Tcpstates, ReportsLoopbackHandshake) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  Ports ports;
  SampleRun run = RunSample("tcpstates", {"--format", "json"}, [&] { return ConnectToSelf(&ports); });
  ASSERT_EQ(run.error, "");
  std::string error;
  std::vector<nlohmann::json> events = EventRecords(run.output, &error);
  ASSERT_EQ(error, "");

  // The client has no local port yet when connect(2) sends its SYN.
  std::optional<nlohmann::json> syn_sent = FindChange(events, 0, ports.server, "CLOSE", "SYN_SENT");
  ASSERT_TRUE(syn_sent) << run.output;
  EXPECT_EQ(syn_sent->at("pid"), getpid());
  EXPECT_EQ(syn_sent->at("comm"), "e2e_tests");

  std::optional<nlohmann::json> established =
      FindChange(events, ports.client, ports.server, "SYN_SENT", "ESTABLISHED");
  ASSERT_TRUE(established) << run.output;
  // The socket spent the handshake in SYN_SENT, and nubpf-run saw it start.
  EXPECT_GT(established->at("held").get<int64_t>(), 0) << *established;

  EXPECT_TRUE(FindChange(events, ports.server, 0, "CLOSE", "LISTEN")) << run.output;
  EXPECT_TRUE(FindChange(events, ports.server, ports.client, "SYN_RECV", "ESTABLISHED"))
      << run.output;
  // The accepted socket closes first, so the client closes passively.
  EXPECT_TRUE(FindChange(events, ports.client, ports.server, "LAST_ACK", "CLOSE"))
      << run.output;
}

}  // namespace
}  // namespace nubpf::testing
