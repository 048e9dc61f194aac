use super::{config, hostile_text};
use crate::domain::{Branding, Colour, LOGO_MAX_BYTES, Logo};
use proptest::prelude::*;

const LOGO_TYPES: &[&str] = &["image/png", "image/jpeg", "image/gif", "image/webp"];

/// Uploads of every size up to a little past the limit, some starting like a real image.
fn upload() -> impl Strategy<Value = Vec<u8>> {
    let heads: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"\x89PNG\r\n\x1a\n".to_vec(),
        vec![0xff, 0xd8, 0xff],
        b"GIF89a".to_vec(),
        b"RIFF\0\0\0\0WEBP".to_vec(),
        b"RIFF".to_vec(),
        b"<svg".to_vec(),
    ];
    (
        prop::sample::select(heads),
        proptest::collection::vec(any::<u8>(), 0..32),
        prop_oneof![0usize..64, (LOGO_MAX_BYTES - 40)..(LOGO_MAX_BYTES + 40)],
    )
        .prop_map(|(head, tail, padding)| [head, tail, vec![0; padding]].concat())
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn colours_never_panic_and_accepted_ones_are_readable(raw in prop_oneof![hostile_text(), "#?[0-9a-fA-F+é]{0,7}"]) {
        if let Ok(colour) = Colour::parse(&raw) {
            prop_assert!(colour.contrast_with_white() >= 4.5);
            let shown = colour.to_string();
            prop_assert!(shown.len() == 7 && shown.starts_with('#'));
            prop_assert!(shown[1..].bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')), "{shown}");
            prop_assert_eq!(Colour::parse(&shown), Ok(colour));
            // What was typed is that colour's hex digits, in any case, short or long.
            let typed = raw.trim().trim_start_matches('#').to_lowercase();
            let long = if typed.len() == 3 { typed.chars().flat_map(|c| [c, c]).collect() } else { typed };
            prop_assert_eq!(long, &shown[1..], "{:?}", raw);
        }
    }

    #[test]
    fn every_colour_is_either_taken_as_written_or_refused_for_its_contrast(rgb in any::<[u8; 3]>(), upper in any::<bool>(), hash in any::<bool>()) {
        let hex = format!("{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2]);
        let typed = format!("{}{}", if hash { "#" } else { "" }, if upper { hex.to_uppercase() } else { hex.clone() });
        match Colour::parse(&typed) {
            Ok(colour) => {
                prop_assert_eq!(colour.to_string(), format!("#{hex}"));
                prop_assert!(colour.darker().contrast_with_white() >= colour.contrast_with_white());
            }
            Err(message) => prop_assert!(message.english().contains("contrast"), "{message}"),
        }
    }

    #[test]
    fn short_colours_mean_their_doubled_digits(rgb in "[0-9a-f]{3}") {
        let doubled: String = rgb.chars().flat_map(|c| [c, c]).collect();
        prop_assert_eq!(Colour::parse(&format!("#{rgb}")), Colour::parse(&format!("#{doubled}")));
    }

    #[test]
    fn logos_are_bounded_and_typed_by_their_bytes(bytes in upload()) {
        let len = bytes.len();
        if let Ok(logo) = Logo::check(bytes) {
            prop_assert!(len <= LOGO_MAX_BYTES);
            prop_assert_eq!(logo.bytes.len(), len);
            prop_assert!(LOGO_TYPES.contains(&logo.content_type));
        }
    }

    #[test]
    fn product_names_are_one_trimmed_short_line(raw in hostile_text()) {
        if let Ok(name) = Branding::parse_product_name(&raw) {
            prop_assert_eq!(name.as_str(), raw.trim());
            prop_assert!((1..=60).contains(&name.chars().count()));
            prop_assert!(!name.chars().any(char::is_control));
            prop_assert_eq!(Branding::parse_product_name(&name), Ok(name.clone()));
        }
    }
}
