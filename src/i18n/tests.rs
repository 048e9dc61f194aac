use super::*;
use std::collections::HashSet;
use std::path::Path;

fn en() -> Locale {
    Locale::default()
}

fn fr() -> Locale {
    Locale::from_tag("fr").unwrap()
}

fn ids(c: &Compiled) -> Vec<&str> {
    message_ids(&c.resource).collect()
}

#[test]
fn english_comes_first_and_every_catalogue_has_a_tag_and_a_name() {
    assert_eq!(en().tag(), "en");
    assert_eq!(en().name(), "English");
    assert_eq!(fr().name(), "Français");
    let tags: Vec<&str> = Locale::all().map(Locale::tag).collect();
    assert_eq!(tags.first(), Some(&"en"));
    assert!(tags.contains(&"fr"));
    for c in COMPILED.iter() {
        assert_ne!(
            c.langid,
            LanguageIdentifier::default(),
            "{}.ftl: the file name is not a language tag",
            c.tag
        );
        assert_ne!(c.name, c.tag, "{}.ftl has no language-name", c.tag);
    }
}

#[test]
fn every_catalogue_parses_and_has_exactly_the_english_ids() {
    let english: Vec<&str> = ids(&COMPILED[0]);
    let unique: HashSet<&str> = english.iter().copied().collect();
    assert_eq!(unique.len(), english.len(), "en.ftl repeats an id");
    for c in COMPILED.iter() {
        assert!(c.errors.is_empty(), "{}.ftl: {:?}", c.tag, c.errors);
        let own: Vec<&str> = ids(c);
        let set: HashSet<&str> = own.iter().copied().collect();
        assert_eq!(set.len(), own.len(), "{}.ftl repeats an id", c.tag);
        let missing: Vec<_> = unique.difference(&set).collect();
        assert!(missing.is_empty(), "missing in {}: {missing:?}", c.tag);
        let extra: Vec<_> = set.difference(&unique).collect();
        assert!(extra.is_empty(), "unknown in {}: {extra:?}", c.tag);
        for id in own {
            assert!(
                check_key(&message_key(id)).is_ok() && fluent_id(&message_key(id)) == id,
                "{}.ftl: {id} does not map back and forth to a key",
                c.tag
            );
        }
    }
}

/// Files under `dir` (recursively) whose name ends with `ext`.
fn files(dir: &Path, ext: &str, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.to_string_lossy().ends_with(ext) {
            out.push(path);
        }
    }
}

#[test]
fn every_key_the_code_templates_and_flows_name_is_in_english() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let keys: HashSet<String> = compiled_keys().into_iter().collect();
    let prefixes: HashSet<&str> = keys.iter().filter_map(|k| k.split('.').next()).collect();
    let mut missing = Vec::new();

    // Starter templates and widgets name keys as `{{t(key)}}`.
    let mut json = Vec::new();
    files(&root.join("src/engine/templates"), ".json", &mut json);
    files(&root.join("src/engine/widgets"), ".json", &mut json);
    assert!(json.len() > 5);
    let reference = regex::Regex::new(r"\{\{t\(([^)]*)\)\}\}").unwrap();
    for path in &json {
        let text = std::fs::read_to_string(path).unwrap();
        for cap in reference.captures_iter(&text) {
            if !keys.contains(cap[1].trim()) {
                missing.push(format!("{}: {}", path.display(), &cap[1]));
            }
        }
    }

    // Code and page templates name keys as string literals (`tr.t("problem.csrf.title")`,
    // `MessagePage::new(.., "problem.csrf")` for its `.title` and `.body`) and field errors
    // by code (`FieldError::new("required")` is `error.required`).
    let mut sources = Vec::new();
    files(&root.join("src"), ".rs", &mut sources);
    files(&root.join("templates"), ".html", &mut sources);
    let literal = regex::Regex::new(r#""([a-z_]+(?:\.[a-z0-9_]+)+)""#).unwrap();
    let field_error = regex::Regex::new(r#"FieldError::new\("([a-z_]+)"\)"#).unwrap();
    let mut checked = 0;
    for path in sources
        .iter()
        .filter(|p| !p.starts_with(root.join("src/i18n")))
    {
        let whole = std::fs::read_to_string(path).unwrap();
        // Tests name keys of their own on purpose (overrides an admin invented).
        let text = whole.split("#[cfg(test)]").next().unwrap_or("");
        for cap in literal.captures_iter(text) {
            let key = &cap[1];
            if !prefixes.contains(key.split('.').next().unwrap_or("")) {
                continue;
            }
            checked += 1;
            let known = keys.contains(key)
                || (keys.contains(&format!("{key}.title"))
                    && keys.contains(&format!("{key}.body")));
            if !known {
                missing.push(format!("{}: {key}", path.display()));
            }
        }
        for cap in field_error.captures_iter(text) {
            checked += 1;
            let key = format!("error.{}", &cap[1]);
            if !keys.contains(&key) {
                missing.push(format!("{}: {key}", path.display()));
            }
        }
    }
    assert!(checked > 50, "only {checked} references found");
    assert!(missing.is_empty(), "not in en.ftl: {missing:#?}");
}

#[test]
fn negotiates_by_quality_region_and_default() {
    assert_eq!(Locale::negotiate(Some("fr-CA,fr;q=0.9,en;q=0.8")), fr());
    assert_eq!(Locale::negotiate(Some("fr-CA")), fr());
    assert_eq!(Locale::negotiate(Some("qaa-DE,en;q=0.5,fr;q=0.4")), en());
    // Weights win over the order they are written in.
    assert_eq!(Locale::negotiate(Some("en;q=0.3, fr;q=0.9")), fr());
    assert_eq!(Locale::negotiate(Some("fr;q=0, en-GB")), en());
    assert_eq!(Locale::negotiate(Some("qaa")), en());
    assert_eq!(Locale::negotiate(Some("*")), en());
    assert_eq!(Locale::negotiate(Some("")), en());
    assert_eq!(Locale::negotiate(Some(";;,q=")), en());
    assert_eq!(Locale::negotiate(None), en());
    assert_eq!(Locale::from_tag("fr-CA"), Some(fr()));
    assert_eq!(Locale::from_tag("FR"), Some(fr()));
    assert_eq!(Locale::from_tag("en"), Some(en()));
    assert_eq!(Locale::from_tag("qaa"), None);
    assert_eq!(Locale::from_tag("not a tag"), None);
}

#[test]
fn plurals_follow_each_language() {
    // French counts 0 as singular.
    for (locale, remaining, text) in [
        (en(), "1", "That code is not right. You have 1 try left."),
        (en(), "3", "That code is not right. You have 3 tries left."),
        (en(), "0", "That code is not right. You have 0 tries left."),
        (fr(), "1", "Ce code est incorrect. Il vous reste 1 essai."),
        (fr(), "0", "Ce code est incorrect. Il vous reste 0 essai."),
        (fr(), "4", "Ce code est incorrect. Il vous reste 4 essais."),
    ] {
        let tr = Tr::new(locale);
        let tries = tr.t_args("error.code_invalid", &[("remaining", remaining.into())]);
        assert_eq!(tries, text, "{remaining}");
    }
    let tr = Tr::new(fr());
    assert_eq!(
        tr.t_args("error.login_throttled", &[("minutes", "1".into())]),
        "Trop d'échecs de connexion pour cette adresse. Réessayez dans 1 minute, ou réinitialisez votre mot de passe."
    );
    assert_eq!(
        Tr::new(en()).t_args(
            "mail.invite.body",
            &[
                ("inviter", "Ada".into()),
                ("product", "Flows".into()),
                ("days", "1".into())
            ]
        ),
        "Ada invited you to create a Flows account. Open the link below to accept; it works for 1 day."
    );
}

#[test]
fn fills_placeholders_and_keeps_codes_as_written() {
    let tr = Tr::new(en());
    assert_eq!(
        tr.t_args(
            "mail.otp.subject",
            &[("code", "012345".into()), ("product", "Flows".into())]
        ),
        "012345 is your Flows verification code"
    );
    // No isolation marks around values.
    assert_eq!(
        tr.t_args("profile.verified", &[("email", "a@b.c".into())]),
        "Your e-mail address a@b.c is confirmed."
    );
    let text = tr.text("Sent to {email}", |n| {
        (n == "email").then(|| "a@b.c".to_owned())
    });
    assert_eq!(text, "Sent to a@b.c");
    assert_eq!(tr.text("{{t(button.continue)}}", |_| None), "Continue");
    assert_eq!(
        tr.text("{{t(profile.verified)}}", |n| (n == "email")
            .then(|| "x@y.z".to_owned())),
        "Your e-mail address x@y.z is confirmed."
    );
    // Spaces inside the braces are fine; a variable without a value shows as `{$name}`.
    assert_eq!(
        Tr::new(fr()).text("{{ t(profile.verified) }}", |_| None),
        "Votre adresse e-mail {$email} est confirmée."
    );
    assert_eq!(
        Tr::new(en()).text("{{t(otp.sent_to)}}", |n| match n {
            "otp_digits" => Some("6".into()),
            "email" => Some("a@b.c".into()),
            "otp_minutes" => Some("10".into()),
            _ => None,
        }),
        "We sent a 6-digit code to a@b.c. It expires in 10 minutes."
    );
    assert_eq!(tr.text("{unknown} {", |_| None), "{unknown} {");
}

#[test]
fn falls_back_to_english_then_to_the_key() {
    let tr = Tr::new(fr());
    assert_eq!(tr.t("button.continue"), "Continuer");
    assert_eq!(tr.t("no.such.key"), "no.such.key");
    assert_eq!(tr.lookup("no.such.key"), None);
    assert_eq!(tr.text("{{t(no.such.key)}}", |_| None), "no.such.key");
    let catalogues = Catalogues::new();
    catalogues.reload([("en", "terms.nickname", "Nickname")]);
    assert_eq!(catalogues.tr(fr()).t("terms.nickname"), "Nickname");
    assert_eq!(Tr::with(en(), &catalogues).t("terms.nickname"), "Nickname");
}

#[test]
fn overrides_lay_over_the_compiled_text_and_reload() {
    let catalogues = Catalogues::new();
    assert_eq!(
        catalogues.tr(en()).t("register.title"),
        "Create your account"
    );
    let skipped = catalogues.reload([
        ("en", "register.title", "Join us"),
        ("fr", "terms.nickname", "Pseudo de { $name }"),
        (
            "fr",
            "error.code_invalid",
            "Non. { $remaining ->\n    [one] Un essai\n   *[other] { $remaining } essais\n} restant.",
        ),
        ("qaa", "register.title", "Konto"),
        ("en", "register.intro", "{ broken"),
    ]);
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(skipped[0].starts_with("qaa register.title"));
    assert!(skipped[1].starts_with("en register.intro"));

    let en_tr = catalogues.tr(en());
    assert_eq!(en_tr.t("register.title"), "Join us");
    assert_eq!(
        en_tr.t("register.intro"),
        Tr::new(en()).t("register.intro"),
        "an override that does not parse leaves the compiled-in text"
    );
    // The compiled-in translator does not see overrides.
    assert_eq!(Tr::new(en()).t("register.title"), "Create your account");
    let fr_tr = catalogues.tr(fr());
    assert_eq!(fr_tr.t("register.title"), "Créez votre compte");
    assert_eq!(
        fr_tr.t_args("terms.nickname", &[("name", "Ada".into())]),
        "Pseudo de Ada"
    );
    assert_eq!(
        fr_tr.t_args("error.code_invalid", &[("remaining", "1".into())]),
        "Non. Un essai restant."
    );
    assert_eq!(
        fr_tr.t_args("error.code_invalid", &[("remaining", "2".into())]),
        "Non. 2 essais restant."
    );
    // An unknown key of English only falls back from French.
    assert_eq!(fr_tr.t("terms.nickname.hint"), "terms.nickname.hint");

    let entries = catalogues.entries(&["register.title".into(), "button.continue".into()]);
    let keys: Vec<&str> = entries.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "button.continue",
            "error.code_invalid",
            "register.title",
            "terms.nickname"
        ]
    );
    let title = &entries[2];
    assert_eq!(title.texts.len(), Locale::all().count());
    assert_eq!(title.texts[0].locale, en());
    assert_eq!(
        title.texts[0].compiled.as_deref(),
        Some("Create your account")
    );
    assert_eq!(title.texts[0].overridden.as_deref(), Some("Join us"));
    let fr_title = title.texts.iter().find(|t| t.locale == fr()).unwrap();
    assert_eq!(fr_title.compiled.as_deref(), Some("Créez votre compte"));
    assert_eq!(fr_title.overridden, None);
    let nickname = &entries[3];
    assert!(nickname.texts.iter().all(|t| t.compiled.is_none()));
    let plural = entries[1].texts[0].compiled.clone().unwrap();
    assert!(plural.contains("*[other] { $remaining } tries"), "{plural}");
    assert_eq!(check_message(&plural), Ok(()), "compiled text round-trips");

    // A translator keeps the snapshot it was made from; a new one sees the reload.
    catalogues.reload([("en", "register.title", "Sign up")]);
    assert_eq!(en_tr.t("register.title"), "Join us");
    assert_eq!(catalogues.tr(en()).t("register.title"), "Sign up");
    assert_eq!(catalogues.tr(fr()).t("terms.nickname"), "terms.nickname");
    catalogues.reload([]);
    assert_eq!(
        catalogues.tr(en()).t("register.title"),
        "Create your account"
    );
    assert!(catalogues.entries(&[]).is_empty());
}

#[test]
fn check_message_says_what_is_wrong_and_where() {
    // The refusal in English, once it is known to be a whole sentence.
    let checked = |value: &str| {
        check_message(value).map_err(|said| {
            assert!(said.faults().is_empty(), "{:?}", said.faults());
            said.english()
        })
    };
    assert_eq!(checked("Create your account"), Ok(()));
    assert_eq!(checked("Hello { $name }, {\"{\"}literal"), Ok(()));
    assert_eq!(
        checked("{ $n ->\n    [one] One\n   *[other] { $n } many\n}"),
        Ok(())
    );
    assert_eq!(checked("line one\nline two"), Ok(()));
    assert_eq!(checked("line one\r\n\tline two"), Ok(()));
    for hidden in ["Hi\0there", "Hi\u{1b}[2J", "Hi\u{7f}"] {
        assert!(
            checked(hidden).unwrap_err().contains("control characters"),
            "{hidden:?}"
        );
    }
    assert!(checked("").unwrap_err().contains("empty"));
    assert!(checked("   ").unwrap_err().contains("empty"));
    let unclosed = checked("Hello { $name").unwrap_err();
    assert_eq!(
        unclosed,
        "Line 1, column 14: Expected a token starting with \"}\"."
    );
    assert!(unclosed.starts_with("Line 1, column "), "{unclosed}");
    let no_default = checked("You have { $n ->\n [one] one\n [other] many\n}").unwrap_err();
    assert!(no_default.starts_with("Line "), "{no_default}");
    let second_line = checked("fine\nbad { here").unwrap_err();
    assert!(second_line.starts_with("Line 2, column "), "{second_line}");
    let reference = checked("Sent to {email}").unwrap_err();
    assert!(reference.contains("{ $email }"), "{reference}");
    // Later lines are indented for the admin, so they can never start another message.
    assert_eq!(checked("one\nother-message = two"), Ok(()));
    let star = checked("one\n*[other] two").unwrap_err();
    assert!(star.starts_with("Line 2, column "), "{star}");
    let french = Tr::new(fr());
    let not_a_key = check_key("terms-nickname").unwrap_err();
    assert!(not_a_key.faults().is_empty(), "{:?}", not_a_key.faults());
    assert_eq!(
        not_a_key.english(),
        "“terms-nickname” is not a message key: use words of letters, digits and _ joined by dots, like terms.nickname"
    );
    assert!(not_a_key.in_(&french).starts_with("« terms-nickname »"));
    let unclosed = check_message("Hello { $name").unwrap_err();
    assert!(unclosed.in_(&french).starts_with("Ligne 1, colonne 14 : "));
    assert!(check_key("terms.nickname").is_ok());
    assert!(check_key("terms-nickname").is_err());
    assert!(check_key("terms..x").is_err());
    assert!(check_key("1terms").is_err());
}

/// A message without variables is formatted once per snapshot and language and kept; one
/// with variables is formatted each time with its values; an unknown key is never kept.
#[test]
fn fixed_messages_are_formatted_once_and_only_known_keys_are_kept() {
    let catalogues = Catalogues::new();
    let set = catalogues.snapshot();
    let kept = |locale: Locale| set.fixed[usize::from(locale.0)].read().unwrap().clone();
    let tr = catalogues.tr(en());
    let fr_tr = catalogues.tr(fr());
    for _ in 0..2 {
        assert_eq!(tr.t("errors.summary"), "There is a problem");
        assert_eq!(fr_tr.t("errors.summary"), "Il y a un problème");
        assert_eq!(tr.t("no.such.key"), "no.such.key");
    }
    for (n, words) in [("1", "1 try"), ("3", "3 tries")] {
        let text = tr.t_args("error.code_invalid", &[("remaining", n.into())]);
        assert!(text.contains(words), "{text}");
    }
    let en_kept = kept(en());
    assert_eq!(
        en_kept.get("errors.summary"),
        Some(&Some("There is a problem".to_owned()))
    );
    assert_eq!(
        en_kept.get("error.code_invalid"),
        Some(&None),
        "has a variable"
    );
    assert!(!en_kept.contains_key("no.such.key"));
    assert_eq!(
        kept(fr()).get("errors.summary"),
        Some(&Some("Il y a un problème".to_owned()))
    );
    // A reload is a new snapshot, with nothing kept from the old one.
    catalogues.reload([("en", "errors.summary", "Something is wrong")]);
    assert_eq!(
        catalogues.tr(en()).t("errors.summary"),
        "Something is wrong"
    );
    assert_eq!(tr.t("errors.summary"), "There is a problem");
}
