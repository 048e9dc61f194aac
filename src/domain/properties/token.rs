use super::{config, hostile_text};
use crate::domain::{ApiToken, LinkToken, OtpCode, sha256_hex};
use proptest::prelude::*;

fn is_hash(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn presented_link_tokens_hash_the_same_with_or_without_padding(raw in hostile_text()) {
        let hash = LinkToken::hash_of(&raw);
        prop_assert!(is_hash(&hash));
        prop_assert_eq!(LinkToken::hash_of(&format!(" \n{raw}\t ")), hash);
    }

    #[test]
    fn api_tokens_are_recognised_only_in_their_own_shape(raw in hostile_text()) {
        if let Some(hash) = ApiToken::hash_of(&raw) {
            let token = raw.trim();
            prop_assert!(token.starts_with(ApiToken::PREFIX));
            prop_assert_eq!(token.len(), ApiToken::PREFIX.len() + 43);
            prop_assert!(token.is_ascii());
            prop_assert_eq!(hash, sha256_hex(token.as_bytes()));
        }
    }

    #[test]
    fn any_well_formed_api_token_is_recognised(body in "[A-Za-z0-9_-]{43}", bad in "[^A-Za-z0-9_-]", at in 0usize..43) {
        let token = format!("{}{body}", ApiToken::PREFIX);
        prop_assert_eq!(ApiToken::hash_of(&token), Some(sha256_hex(token.as_bytes())));
        let mut broken: Vec<char> = body.chars().collect();
        broken[at] = bad.chars().next().unwrap_or('!');
        let broken = format!("{}{}", ApiToken::PREFIX, broken.into_iter().collect::<String>());
        prop_assert_eq!(ApiToken::hash_of(&broken), None);
    }

    #[test]
    fn token_names_are_short_and_plain(name in prop_oneof![hostile_text(), "[A-Za-z0-9._-]{1,64}"]) {
        let plain = (1..=64).contains(&name.len())
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
        prop_assert_eq!(ApiToken::check_name(&name).is_ok(), plain, "{:?}", name);
    }

    #[test]
    fn one_time_codes_have_4_to_10_digits(digits in any::<u32>()) {
        let code = OtpCode::generate(digits);
        prop_assert_eq!(code.expose().len(), digits.clamp(4, 10) as usize);
        prop_assert!(code.expose().bytes().all(|b| b.is_ascii_digit()));
    }
}

#[test]
fn generated_tokens_come_back_as_their_hash() {
    for _ in 0..64 {
        let link = LinkToken::generate();
        assert_eq!(LinkToken::hash_of(link.expose()), link.hash());
        let api = ApiToken::generate();
        assert_eq!(ApiToken::hash_of(api.expose()), Some(api.hash()));
        assert!(ApiToken::check_name(api.expose()).is_ok());
    }
}
