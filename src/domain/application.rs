//! What a client application of the JSON API is registered with: origins and a return URL,
//! checked the same way from the command line and the console.

use crate::i18n::Said;

/// An origin as browsers send it: scheme and host (and port), nothing more.
/// A refusal is a sentence of its own, its value quoted as Rust quotes it.
pub fn parse_origin(raw: &str) -> Result<String, Said> {
    let origin = raw.trim().trim_end_matches('/');
    let (scheme, rest) = origin
        .split_once("://")
        .ok_or_else(|| Said::new("ui.refusal.origin.no_scheme").with("raw", format!("{raw:?}")))?;
    let bad = !matches!(scheme, "http" | "https")
        || rest.is_empty()
        || rest.contains(['/', '?', '#', '@', '*'])
        || rest.chars().any(|c| c.is_whitespace() || c.is_control());
    if bad {
        return Err(Said::new("ui.refusal.origin.form").with("raw", format!("{raw:?}")));
    }
    Ok(origin.to_ascii_lowercase())
}

/// A return URL must be absolute http(s); plain http only on this machine.
pub fn parse_return_url(raw: &str) -> Result<String, Said> {
    let url = raw.trim();
    let local = ["http://localhost", "http://127.0.0.1", "http://[::1]"]
        .iter()
        .any(|p| url.starts_with(p));
    let ok = (url.starts_with("https://") || local)
        && !url.chars().any(|c| c.is_whitespace() || c.is_control());
    if !ok {
        return Err(Said::new("ui.refusal.return_url").with("raw", format!("{raw:?}")));
    }
    Ok(url.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_normalised_and_anything_else_refused() {
        assert_eq!(
            parse_origin("https://Shop.example/").unwrap(),
            "https://shop.example"
        );
        assert_eq!(
            parse_origin("http://localhost:3000").unwrap(),
            "http://localhost:3000"
        );
        for bad in [
            "*",
            "shop.example",
            "https://shop.example/path",
            "ftp://x",
            "https://a@b",
            "https://",
            "https://shop\nexample",
            "https://shop.example\0",
            "https://shop\u{85}example",
        ] {
            let said = parse_origin(bad).unwrap_err();
            assert!(said.faults().is_empty(), "{bad}: {:?}", said.faults());
        }
        assert_eq!(
            parse_origin("shop.example").unwrap_err().english(),
            "\"shop.example\" is not an origin: write it like https://app.example."
        );
        assert_eq!(
            parse_origin("ftp://x").unwrap_err().english(),
            "\"ftp://x\" is not an origin: a scheme and a host, like https://app.example."
        );
    }

    #[test]
    fn return_urls_are_https_or_local() {
        assert!(parse_return_url("https://shop.example/welcome").is_ok());
        assert!(parse_return_url("http://localhost:3000/done").is_ok());
        for bad in [
            "http://shop.example/",
            "javascript:alert(1)",
            "https://a b",
            "/relative",
        ] {
            let said = parse_return_url(bad).unwrap_err();
            assert!(said.faults().is_empty(), "{bad}: {:?}", said.faults());
        }
        assert_eq!(
            parse_return_url("/relative").unwrap_err().english(),
            "\"/relative\" is not a return URL: an https:// URL (http:// only for localhost)."
        );
    }
}
