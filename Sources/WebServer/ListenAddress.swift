import CLibWebSockets
#if canImport(Glibc)
import Glibc
#endif

/// The configured host turned into what libwebsockets wants: an interface address (nil for all)
/// and whether IPv6 must be off.
struct ListenAddress {
    let interface: String?
    let options: UInt64

    init(host: String) throws(WebServerError) {
        switch host {
        case "", "*", "0.0.0.0", "::":
            interface = nil
            options = host == "0.0.0.0" ? UInt64(LWS_SERVER_OPTION_DISABLE_IPV6) : 0
        case "localhost":
            interface = "127.0.0.1"
            options = UInt64(LWS_SERVER_OPTION_DISABLE_IPV6)
        default:
            var ipv4 = in_addr()
            var ipv6 = in6_addr()
            if inet_pton(AF_INET, host, &ipv4) == 1 {
                interface = host
                options = UInt64(LWS_SERVER_OPTION_DISABLE_IPV6)
            } else if inet_pton(AF_INET6, host, &ipv6) == 1 {
                interface = host
                options = 0
            } else {
                throw .invalidHost(host)
            }
        }
    }
}
