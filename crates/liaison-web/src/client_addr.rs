//! The client's address, for rate limits and the audit log. Connected directly, it is the peer.
//! Behind proxies this deployment runs, `X-Forwarded-For` is read from the right: each proxy
//! appends the address it received the request from, so only the entries right of the last trusted
//! hop were written by someone we trust. The first address that is not a trusted proxy is the client;
//! whatever a client wrote further left (a forged `X-Forwarded-For`) is never read.

use std::net::IpAddr;
use std::str::FromStr;

use ipnet::IpNet;

/// The proxies whose `X-Forwarded-For` entries are believed (empty: none, the peer is the client).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// A comma-separated list of addresses or networks (`127.0.0.1, 10.0.0.0/8, ::1`).
    pub fn parse(list: &str) -> Result<TrustedProxies, String> {
        let mut nets = Vec::new();
        for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let net = IpNet::from_str(item)
                .or_else(|_| IpAddr::from_str(item).map(IpNet::from))
                .map_err(|_| format!("not an address or network: {item}"))?;
            nets.push(net);
        }
        Ok(TrustedProxies(nets))
    }

    /// A proxy on the same machine (the usual nginx in front): loopback only.
    pub fn loopback() -> TrustedProxies {
        TrustedProxies(vec![
            IpNet::from_str("127.0.0.0/8").expect("constant network"),
            IpNet::from_str("::1/128").expect("constant network"),
        ])
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn contains(&self, ip: &IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|n| n.contains(&ip))
    }
}

/// The client behind `peer`, given every `X-Forwarded-For` header value in the order received.
pub fn client_addr(peer: IpAddr, forwarded_for: &[&str], trusted: &TrustedProxies) -> IpAddr {
    let mut client = peer.to_canonical();
    if !trusted.contains(&client) {
        return client;
    }
    let hops = forwarded_for.iter().flat_map(|v| v.split(',')).map(str::trim);
    for hop in hops.collect::<Vec<_>>().into_iter().rev() {
        // a trusted proxy wrote this entry; one that does not parse leaves the last trusted hop
        let Some(ip) = parse_hop(hop) else {
            return client;
        };
        client = ip;
        if !trusted.contains(&ip) {
            return ip;
        }
    }
    client
}

/// `1.2.3.4`, `1.2.3.4:5678`, `::1`, `[::1]:5678`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = IpAddr::from_str(hop) {
        return Some(ip.to_canonical());
    }
    if let Some(rest) = hop.strip_prefix('[') {
        return rest.split_once(']').and_then(|(ip, _)| IpAddr::from_str(ip).ok());
    }
    hop.rsplit_once(':')
        .and_then(|(ip, _)| IpAddr::from_str(ip).ok())
        .map(|ip| ip.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn proxies() -> TrustedProxies {
        TrustedProxies::parse("127.0.0.1, 10.0.0.0/8").unwrap()
    }

    #[test]
    fn a_direct_client_is_the_peer_whatever_it_forwards() {
        let got = client_addr(ip("203.0.113.9"), &["1.1.1.1"], &proxies());
        assert_eq!(got, ip("203.0.113.9"));
        let got = client_addr(ip("127.0.0.1"), &["1.1.1.1"], &TrustedProxies::default());
        assert_eq!(got, ip("127.0.0.1"));
    }

    #[test]
    fn a_forged_leftmost_entry_is_never_believed() {
        // the client sent "X-Forwarded-For: 9.9.9.9"; our proxy appended the real address
        let got = client_addr(ip("127.0.0.1"), &["9.9.9.9, 198.51.100.7"], &proxies());
        assert_eq!(got, ip("198.51.100.7"));
        // the same split over two header lines
        let got = client_addr(ip("127.0.0.1"), &["9.9.9.9", "198.51.100.7"], &proxies());
        assert_eq!(got, ip("198.51.100.7"));
    }

    #[test]
    fn chains_of_trusted_proxies_are_walked_from_the_right() {
        let got = client_addr(ip("127.0.0.1"), &["6.6.6.6, 198.51.100.7, 10.1.2.3"], &proxies());
        assert_eq!(got, ip("198.51.100.7"));
        // only trusted hops: the leftmost of them
        let got = client_addr(ip("127.0.0.1"), &["10.1.2.3"], &proxies());
        assert_eq!(got, ip("10.1.2.3"));
        // no header at all
        assert_eq!(client_addr(ip("127.0.0.1"), &[], &proxies()), ip("127.0.0.1"));
    }

    #[test]
    fn garbage_and_ports_and_mapped_addresses() {
        let got = client_addr(ip("127.0.0.1"), &["<script>, 198.51.100.7:4431"], &proxies());
        assert_eq!(got, ip("198.51.100.7"));
        let got = client_addr(ip("127.0.0.1"), &["not-an-ip"], &proxies());
        assert_eq!(got, ip("127.0.0.1"));
        let got = client_addr(ip("::ffff:127.0.0.1"), &["[2001:db8::1]:80"], &proxies());
        assert_eq!(got, ip("2001:db8::1"));
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse("example.org").is_err());
    }
}
