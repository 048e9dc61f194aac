//! What the hosted pages and the e-mails carry of the organisation: its product name, its
//! primary colour and its logo. Checked here so that neither a page nor a mail can be
//! broken (or made unreadable) by a setting.

use crate::i18n::Said;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Branding {
    pub product_name: String,
    /// `None`: the built-in colours.
    pub primary_colour: Option<Colour>,
    /// The stored logo's digest and type; the bytes live apart (see `Logo`).
    pub logo: Option<LogoRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogoRef {
    pub sha256: String,
    pub content_type: String,
}

/// An uploaded logo, once checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

pub const LOGO_MAX_BYTES: usize = 256 * 1024;
pub const PRODUCT_NAME_MAX_CHARS: usize = 60;

/// WCAG 2.2 AA for normal text: the primary colour is the background of white button text.
pub const MIN_CONTRAST_WITH_WHITE: f64 = 4.5;

impl Branding {
    pub fn parse_product_name(raw: &str) -> Result<String, Said> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(Said::new("ui.refusal.product_name.empty"));
        }
        if name.chars().count() > PRODUCT_NAME_MAX_CHARS {
            return Err(
                Said::new("ui.refusal.product_name.long").with("max", PRODUCT_NAME_MAX_CHARS)
            );
        }
        if name.chars().any(char::is_control) {
            return Err(Said::new("ui.refusal.product_name.control"));
        }
        Ok(name.to_owned())
    }
}

/// An sRGB colour, written `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colour([u8; 3]);

impl Colour {
    /// Accepts `#rgb` and `#rrggbb`, any case. A colour white text cannot be read on is
    /// refused, with the contrast it has.
    pub fn parse(raw: &str) -> Result<Colour, Said> {
        let not_a_colour = || Said::new("ui.refusal.colour.form");
        let hex = raw.trim().strip_prefix('#').unwrap_or(raw.trim());
        // Checked first: `from_str_radix` below would also take a sign (`#+f+f+f`).
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(not_a_colour());
        }
        let expanded: String = match hex.len() {
            3 => hex.chars().flat_map(|c| [c, c]).collect(),
            6 => hex.to_owned(),
            _ => return Err(not_a_colour()),
        };
        let mut rgb = [0u8; 3];
        for (i, slot) in rgb.iter_mut().enumerate() {
            *slot = expanded
                .get(i * 2..i * 2 + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                .ok_or_else(not_a_colour)?;
        }
        let colour = Colour(rgb);
        let contrast = colour.contrast_with_white();
        if contrast < MIN_CONTRAST_WITH_WHITE {
            return Err(Said::new("ui.refusal.colour.contrast")
                .with("colour", colour)
                .with("contrast", format!("{contrast:.1}")));
        }
        Ok(colour)
    }

    fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.0[0]) + 0.7152 * channel(self.0[1]) + 0.0722 * channel(self.0[2])
    }

    pub fn contrast_with_white(self) -> f64 {
        1.05 / (self.luminance() + 0.05)
    }

    /// The hover shade: 15 % darker, so it keeps (and raises) the contrast.
    pub fn darker(self) -> Colour {
        Colour(self.0.map(|c| (f64::from(c) * 0.85).round() as u8))
    }
}

impl std::fmt::Display for Colour {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.0[0], self.0[1], self.0[2])
    }
}

impl Serialize for Colour {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Colour {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Colour::parse(&raw).map_err(serde::de::Error::custom)
    }
}

impl Logo {
    /// Checks an upload by its bytes, never by the name or type the browser claimed: PNG,
    /// JPEG, GIF or WebP up to 256 KiB. SVG is refused: it can carry script.
    pub fn check(bytes: Vec<u8>) -> Result<Logo, Said> {
        if bytes.is_empty() {
            return Err(Said::new("ui.refusal.logo.empty"));
        }
        if bytes.len() > LOGO_MAX_BYTES {
            return Err(Said::new("ui.refusal.logo.too_big")
                .with("size", bytes.len().div_ceil(1024))
                .with("max", LOGO_MAX_BYTES / 1024));
        }
        let content_type = sniff(&bytes).ok_or_else(|| Said::new("ui.refusal.logo.kind"))?;
        Ok(Logo {
            content_type,
            bytes,
        })
    }
}

fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_parse_in_both_lengths_and_print_long() {
        assert_eq!(Colour::parse("#1D4ED8").unwrap().to_string(), "#1d4ed8");
        assert_eq!(Colour::parse(" #036 ").unwrap().to_string(), "#003366");
        assert!(Colour::parse("blue").is_err());
        assert!(Colour::parse("#12345g").is_err());
        assert!(Colour::parse("#é12345").is_err());
        // Found by the property test: `u8::from_str_radix` takes a leading sign.
        assert!(Colour::parse("00+0aA").is_err());
        assert!(Colour::parse("#+f+f+f").is_err());
    }

    #[test]
    fn colours_white_text_cannot_be_read_on_are_refused() {
        let refused = Colour::parse("#ffff00").unwrap_err();
        assert_eq!(
            refused.english(),
            "White text on #ffff00 has a contrast of 1.1:1; buttons need at least 4.5:1. Choose a darker colour."
        );
        assert!(refused.faults().is_empty(), "{:?}", refused.faults());
        let form = Colour::parse("blue").unwrap_err();
        assert_eq!(form.english(), "Enter a colour as #rrggbb, like #1d4ed8.");
        assert!(form.faults().is_empty());
        // The built-in brand blue passes, with the contrast the stylesheet claims.
        let blue = Colour::parse("#1d4ed8").unwrap();
        assert!((blue.contrast_with_white() - 6.7).abs() < 0.1);
        assert!(blue.darker().contrast_with_white() > blue.contrast_with_white());
    }

    #[test]
    fn logos_are_checked_by_their_bytes() {
        let png = b"\x89PNG\r\n\x1a\nrest".to_vec();
        assert_eq!(Logo::check(png).unwrap().content_type, "image/png");
        let svg = b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>".to_vec();
        let svg = Logo::check(svg).unwrap_err();
        assert!(svg.english().contains("SVG"));
        let huge = [b"GIF89a".as_slice(), &vec![0; LOGO_MAX_BYTES]].concat();
        let huge = Logo::check(huge).unwrap_err();
        assert_eq!(
            huge.english(),
            "The logo is 257 KiB; the most it may be is 256 KiB."
        );
        let empty = Logo::check(Vec::new()).unwrap_err();
        assert_eq!(empty.english(), "Choose an image file to upload.");
        for said in [svg, huge, empty] {
            assert!(said.faults().is_empty(), "{:?}", said.faults());
        }
    }

    #[test]
    fn product_names_are_one_short_line() {
        assert_eq!(Branding::parse_product_name("  Acme  ").unwrap(), "Acme");
        let refusals = [
            Branding::parse_product_name("").unwrap_err(),
            Branding::parse_product_name("a\nb").unwrap_err(),
            Branding::parse_product_name(&"x".repeat(61)).unwrap_err(),
        ];
        assert_eq!(
            refusals[2].english(),
            "Keep the product name to 60 characters or fewer."
        );
        for said in &refusals {
            assert!(said.faults().is_empty(), "{:?}", said.faults());
        }
    }
}
