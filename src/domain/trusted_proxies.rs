//! The address a request came from. Behind a load balancer the peer is the balancer, so the
//! per-address limits and the audit log would see one address for everybody; the balancer's
//! `X-Forwarded-For` says who it spoke for. Any client can write that header, so it is read
//! only when the peer is a proxy the operator listed, and from the right: the nearest address
//! that is not itself a listed proxy is the client.

use std::net::IpAddr;

/// Proxies whose `X-Forwarded-For` is believed: addresses and CIDR blocks.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<(IpAddr, u8)>);

impl TrustedProxies {
    /// `10.0.0.7, 10.1.0.0/16, ::1`; empty trusts nobody. The error names the bad entry.
    pub fn parse(list: &str) -> Result<Self, String> {
        let mut blocks = Vec::new();
        for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (addr, bits) = entry.split_once('/').unwrap_or((entry, ""));
            let addr: IpAddr = addr
                .parse()
                .map_err(|_| format!("not an address: {entry:?}"))?;
            let max = if addr.is_ipv4() { 32 } else { 128 };
            let bits = if bits.is_empty() {
                max
            } else {
                bits.parse::<u8>()
                    .ok()
                    .filter(|b| *b <= max)
                    .ok_or_else(|| format!("not a prefix length: {entry:?}"))?
            };
            blocks.push((addr, bits));
        }
        Ok(Self(blocks))
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|(block, bits)| within(ip, *block, *bits))
    }

    /// The client behind `peer`, given the request's `X-Forwarded-For` values in order.
    pub fn client<'a>(&self, peer: IpAddr, forwarded_for: impl Iterator<Item = &'a str>) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let hops: Vec<&str> = forwarded_for.flat_map(|v| v.split(',')).collect();
        let mut client = peer;
        for hop in hops.iter().rev() {
            match hop.trim().parse::<IpAddr>() {
                Ok(ip) if self.trusts(ip) => client = ip,
                Ok(ip) => return ip,
                // A hop we cannot read ends what can be believed.
                Err(_) => return client,
            }
        }
        client
    }
}

fn within(ip: IpAddr, block: IpAddr, bits: u8) -> bool {
    match (ip, block) {
        (IpAddr::V4(a), IpAddr::V4(b)) => {
            prefix(u128::from(u32::from(a)), u128::from(u32::from(b)), bits, 32)
        }
        (IpAddr::V6(a), IpAddr::V6(b)) => prefix(u128::from(a), u128::from(b), bits, 128),
        _ => false,
    }
}

fn prefix(a: u128, b: u128, bits: u8, width: u32) -> bool {
    let shift = width.saturating_sub(u32::from(bits));
    shift >= width || (a >> shift) == (b >> shift)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn a_header_from_an_untrusted_peer_is_ignored() {
        let proxies = TrustedProxies::parse("10.0.0.1").unwrap();
        let client = proxies.client(ip("203.0.113.9"), ["198.51.100.1"].into_iter());
        assert_eq!(client, ip("203.0.113.9"));
        let nobody = TrustedProxies::default();
        assert_eq!(
            nobody.client(ip("10.0.0.1"), ["198.51.100.1"].into_iter()),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn the_nearest_untrusted_hop_is_the_client_whatever_was_forged_before_it() {
        let proxies = TrustedProxies::parse("10.0.0.0/8, ::1").unwrap();
        // The client wrote 1.2.3.4 itself; our balancer appended the real address.
        let client = proxies.client(
            ip("10.0.0.1"),
            ["1.2.3.4, 198.51.100.7, 10.2.3.4"].into_iter(),
        );
        assert_eq!(client, ip("198.51.100.7"));
        let two_headers = proxies.client(ip("::1"), ["1.2.3.4", "198.51.100.8"].into_iter());
        assert_eq!(two_headers, ip("198.51.100.8"));
        let garbage = proxies.client(ip("10.0.0.1"), ["<script>, 10.9.9.9"].into_iter());
        assert_eq!(garbage, ip("10.9.9.9"));
    }

    #[test]
    fn bad_entries_are_named() {
        assert!(
            TrustedProxies::parse("10.0.0.0/33")
                .unwrap_err()
                .contains("10.0.0.0/33")
        );
        assert!(
            TrustedProxies::parse("proxy.example")
                .unwrap_err()
                .contains("proxy.example")
        );
        assert!(TrustedProxies::parse(" , ").unwrap().0.is_empty());
        assert!(
            TrustedProxies::parse("0.0.0.0/0")
                .unwrap()
                .trusts(ip("8.8.8.8"))
        );
    }
}
