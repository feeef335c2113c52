#if canImport(Glibc)
import Glibc
#endif

/// The address a client connects from, as rate limits and connection caps count it: an IPv4
/// address ("203.0.113.7"; IPv4-mapped IPv6 too), or an IPv6 address's /64 ("2001:db8:1:2::/64"),
/// since one subscriber is usually given a whole /64 to pick addresses from.
enum ClientAddress {
    /// The peer of a connected socket; nil when it has none (closed, not IP).
    static func of(socket: Int32) -> String? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let status = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(socket, $0, &length) }
        }
        return status == 0 ? of(storage) : nil
    }

    /// The address key of a socket address; nil when it is not IP.
    static func of(_ storage: sockaddr_storage) -> String? {
        var storage = storage
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafeBytes(of: &storage) { raw in
                let address = raw.load(as: sockaddr_in.self).sin_addr.s_addr
                return ipv4(withUnsafeBytes(of: address) { Array($0) })
            }
        case AF_INET6:
            let bytes = withUnsafeBytes(of: &storage) { raw in
                withUnsafeBytes(of: raw.load(as: sockaddr_in6.self).sin6_addr) { Array($0) }
            }
            return ipv6(bytes)
        default:
            return nil
        }
    }

    static func ipv4(_ bytes: [UInt8]) -> String {
        bytes.prefix(4).map(String.init).joined(separator: ".")
    }

    /// Sixteen bytes as an address key: IPv4-mapped ones as IPv4, others as their /64.
    static func ipv6(_ bytes: [UInt8]) -> String {
        guard bytes.count == 16 else { return "?" }
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF { return ipv4(Array(bytes[12..<16])) }
        let groups = stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
        return groups.joined(separator: ":") + "::/64"
    }
}
