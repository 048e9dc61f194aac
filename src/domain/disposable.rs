//! Domains of disposable (throw-away) mail services, which self-registration may refuse.

use std::collections::HashSet;
use std::sync::LazyLock;

/// Shipped list (see disposable-domains.NOTICE for provenance and licence).
static DISPOSABLE_DOMAINS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("disposable-domains.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
});

/// True when the address's domain, or any domain it is a subdomain of, is on the list:
/// services hand out `anything.their-domain` as freely as the domain itself.
pub fn is_disposable(address: &str) -> bool {
    let Some((_, domain)) = address.rsplit_once('@') else {
        return false;
    };
    let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    let mut rest = domain.as_str();
    loop {
        if DISPOSABLE_DOMAINS.contains(rest) {
            return true;
        }
        match rest.split_once('.') {
            Some((_, parent)) if parent.contains('.') => rest = parent,
            // A bare top-level domain is never on the list; stop before it.
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_shipped_whole() {
        assert!(DISPOSABLE_DOMAINS.len() > 8_000);
        assert!(DISPOSABLE_DOMAINS.contains("mailinator.com"));
    }

    #[test]
    fn listed_domains_and_their_subdomains_are_disposable() {
        assert!(is_disposable("bot@mailinator.com"));
        assert!(is_disposable("bot@MAILINATOR.com"));
        assert!(is_disposable("bot@inbox.mailinator.com"));
        assert!(is_disposable("bot@a.b.yopmail.com."));
    }

    #[test]
    fn ordinary_domains_and_lookalikes_are_not() {
        assert!(!is_disposable("ada@example.com"));
        assert!(!is_disposable("ada@gmail.com"));
        assert!(!is_disposable("ada@mailinator-fan.example"));
        assert!(!is_disposable("ada@mailinator.com.example.org"));
        assert!(!is_disposable("no-at-sign"));
    }
}
