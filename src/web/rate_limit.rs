//! Per-client-address limit on form posts: a token bucket per address, in memory. Each
//! instance limits on its own, which is what an address limit needs; limits that must hold
//! across instances (code attempts, resends) are counted in the database instead. The same
//! buckets, keyed by application id, limit the flows each client application starts.
//!
//! An IPv6 client is limited by its /64: a home or a server is given a whole /64 and can
//! take any of its 2^64 addresses at will, so one bucket per address would be none at all.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

/// The buckets only: the rate comes with each check, from the settings in force, so an
/// owner's change holds from the next post on.
pub struct RateLimiter<K = IpAddr> {
    buckets: Mutex<HashMap<K, (f64, Instant)>>,
}

impl<K> Default for RateLimiter<K> {
    fn default() -> Self {
        Self {
            buckets: Mutex::new(HashMap::new()),
        }
    }
}

const MAX_TRACKED: usize = 100_000;

impl RateLimiter<IpAddr> {
    /// Takes one token for `addr`, allowing `per_minute` posts per address on average, up to
    /// `burst` at once (`per_minute` 0: no limit); `Err(seconds)` says how long until one is
    /// free.
    pub fn check(
        &self,
        addr: IpAddr,
        now: Instant,
        per_minute: u32,
        burst: u32,
    ) -> Result<(), u64> {
        self.take(client_key(addr), now, per_minute, burst)
    }
}

impl<K: Eq + Hash> RateLimiter<K> {
    /// Takes one token for `key`, as `check` does for an address.
    pub fn take(&self, key: K, now: Instant, per_minute: u32, burst: u32) -> Result<(), u64> {
        if per_minute == 0 {
            return Ok(());
        }
        let rate = f64::from(per_minute) / 60.0;
        let burst = f64::from(burst.max(1));
        let Ok(mut buckets) = self.buckets.lock() else {
            return Ok(());
        };
        if buckets.len() >= MAX_TRACKED {
            // Full buckets carry no information: forget them to bound memory.
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * rate < burst
            });
        }
        let (tokens, at) = buckets.entry(key).or_insert((burst, now));
        let refilled = (*tokens + now.duration_since(*at).as_secs_f64() * rate).min(burst);
        *at = now;
        if refilled >= 1.0 {
            *tokens = refilled - 1.0;
            Ok(())
        } else {
            *tokens = refilled;
            Err(((1.0 - refilled) / rate).ceil() as u64)
        }
    }
}

/// The address a client is limited by: an IPv4 address (also when written as IPv4-mapped
/// IPv6), or the /64 network of an IPv6 one.
fn client_key(addr: IpAddr) -> IpAddr {
    match addr {
        IpAddr::V4(_) => addr,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6((u128::from(v6) & !u128::from(u64::MAX)).into()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn allows_burst_then_refills() {
        let limiter = RateLimiter::default();
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(limiter.check(ip, t0, 60, 3).is_ok());
        }
        assert_eq!(limiter.check(ip, t0, 60, 3), Err(1));
        assert!(
            limiter
                .check(ip, t0 + Duration::from_millis(1100), 60, 3)
                .is_ok()
        );
        // Another address has its own bucket.
        assert!(
            limiter
                .check("192.0.2.2".parse().unwrap(), t0, 60, 3)
                .is_ok()
        );
    }

    #[test]
    fn zero_means_off_and_a_new_rate_holds_at_once() {
        let limiter = RateLimiter::default();
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let t0 = Instant::now();
        for _ in 0..100 {
            assert!(limiter.check(ip, t0, 0, 1).is_ok());
        }
        assert!(limiter.check(ip, t0, 60, 1).is_ok());
        assert!(limiter.check(ip, t0, 60, 1).is_err());
    }

    #[test]
    fn an_ipv6_client_is_limited_by_its_slash_64_whatever_address_it_takes() {
        let limiter = RateLimiter::default();
        let t0 = Instant::now();
        for n in 1..=3 {
            let ip: IpAddr = format!("2001:db8:1:2::{n:x}").parse().unwrap();
            assert!(limiter.check(ip, t0, 60, 3).is_ok());
        }
        let other_address: IpAddr = "2001:db8:1:2:ffff:ffff:ffff:ffff".parse().unwrap();
        assert_eq!(limiter.check(other_address, t0, 60, 3), Err(1));
        // The next /64 is someone else.
        let next_network: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert!(limiter.check(next_network, t0, 60, 3).is_ok());
    }

    #[test]
    fn an_ipv4_mapped_address_shares_the_ipv4_bucket() {
        let limiter = RateLimiter::default();
        let t0 = Instant::now();
        assert!(
            limiter
                .check("192.0.2.7".parse().unwrap(), t0, 60, 1)
                .is_ok()
        );
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(limiter.check(mapped, t0, 60, 1), Err(1));
    }
}
