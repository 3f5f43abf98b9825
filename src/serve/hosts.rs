//! Which `Host` headers `serve` answers. A web page on another site can point a name it owns at
//! 127.0.0.1 (DNS rebinding) and then read the local library as if it were its own origin; the
//! browser still sends that name as `Host`, so only names the user chose are answered
//! (docs/serve.md): `localhost`, the loopback addresses, any IP address when serving beyond
//! loopback (an address cannot be rebound), the name given to `--host`, and each `--allow-host`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The hosts a server answers.
#[derive(Debug, Clone)]
pub(crate) struct Hosts {
    /// Lowercase names and bracketed or dotted addresses, without ports.
    names: Vec<String>,
    /// Whether any IP address is answered (when listening beyond loopback).
    any_address: bool,
}

impl Hosts {
    /// The hosts a server bound to `bind` answers, with the `--allow-host` names; a name that is
    /// no host name is an error that says so.
    pub(crate) fn new(bind: &str, allowed: &[String]) -> Result<Hosts, String> {
        let mut names: Vec<String> = ["localhost", "127.0.0.1", "[::1]"].map(String::from).to_vec();
        for name in allowed {
            names.push(normal(name).ok_or_else(|| {
                format!("`--allow-host {name}` is not a host name (expected a name such as `devbox.internal`)")
            })?);
        }
        let bind_ip = bind.parse::<IpAddr>().ok();
        if bind_ip.is_none() {
            // The URL `serve` prints names it, so that URL must work.
            names.extend(normal(bind));
        }
        let any_address = bind != "localhost" && !bind_ip.is_some_and(|ip| ip.is_loopback());
        Ok(Hosts { names, any_address })
    }

    /// Whether a request with this `Host` header (or none) is answered.
    pub(crate) fn allows(&self, host: Option<&str>) -> bool {
        let Some(name) = host.and_then(normal) else { return false };
        self.names.contains(&name) || (self.any_address && address(&name))
    }
}

/// A host (and optional port) lowercased, without its port; `None` when it is no host.
fn normal(host: &str) -> Option<String> {
    let host = host.trim().to_ascii_lowercase();
    if host.starts_with('[') {
        let end = host.find(']')?;
        port_or_nothing(&host[end + 1..])?;
        host[1..end].parse::<Ipv6Addr>().ok()?;
        return Some(host[..=end].to_string());
    }
    let name = match host.split_once(':') {
        Some((name, port)) => port_or_nothing(&format!(":{port}")).map(|()| name)?,
        None => &host,
    };
    let fine = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_');
    (!name.is_empty() && name.chars().all(fine)).then(|| name.to_string())
}

/// `Some` for `""` or `:DIGITS`.
fn port_or_nothing(rest: &str) -> Option<()> {
    match rest.strip_prefix(':') {
        None if rest.is_empty() => Some(()),
        Some(p) if !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()) => Some(()),
        _ => None,
    }
}

/// Whether a normalised host is an IP address (`10.0.0.5`, `[fe80::1]`).
fn address(name: &str) -> bool {
    name.parse::<Ipv4Addr>().is_ok() || name.starts_with('[')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn hosts(bind: &str, allowed: &[&str]) -> Hosts {
        Hosts::new(bind, &allowed.iter().map(|s| s.to_string()).collect::<Vec<_>>()).expect("hosts")
    }

    #[test]
    fn loopback_names_are_answered_with_any_port_and_nothing_else() {
        let h = hosts("127.0.0.1", &[]);
        for ok in ["localhost", "localhost:3000", "LOCALHOST:1", "127.0.0.1:3000", "127.0.0.1", "[::1]:3000", "[::1]"] {
            assert!(h.allows(Some(ok)), "{ok}");
        }
        for refused in [
            "rebind.attacker.example",
            "rebind.attacker.example:3000",
            "localhost.attacker.example",
            "10.0.0.5:3000",
            "[fe80::1]:3000",
            "localhost:x",
            "localhost:3000:1",
            "[::1",
            "::1",
            "",
            "local host",
        ] {
            assert!(!h.allows(Some(refused)), "{refused}");
        }
        assert!(!h.allows(None), "no Host at all");
        assert!(!hosts("localhost", &[]).allows(Some("192.168.1.5")));
    }

    #[test]
    fn beyond_loopback_any_address_is_answered_but_still_no_foreign_name() {
        for bind in ["0.0.0.0", "::", "192.168.1.5"] {
            let h = hosts(bind, &[]);
            for ok in ["192.168.1.5:3000", "10.0.0.5", "[fe80::1]:3000", "localhost:3000"] {
                assert!(h.allows(Some(ok)), "{bind}: {ok}");
            }
            assert!(!h.allows(Some("rebind.attacker.example:3000")), "{bind}");
        }
        let named = hosts("devbox.lan", &[]);
        assert!(named.allows(Some("devbox.lan:3000")), "the name serve was told to listen on");
        assert!(!named.allows(Some("other.lan")));
    }

    #[test]
    fn allowed_names_are_answered_and_a_bad_one_is_an_error() {
        let h = hosts("127.0.0.1", &["Docs.Internal", "proxy:8080", "[fd00::2]"]);
        for ok in ["docs.internal", "DOCS.internal:443", "proxy", "proxy:80", "[fd00::2]:3000"] {
            assert!(h.allows(Some(ok)), "{ok}");
        }
        assert!(!h.allows(Some("internal")));
        let err = Hosts::new("127.0.0.1", &["a/b".to_string()]).expect_err("a path is no host");
        assert_eq!(err, "`--allow-host a/b` is not a host name (expected a name such as `devbox.internal`)");
        assert!(Hosts::new("127.0.0.1", &[String::new()]).is_err());
    }

    proptest! {
        #![proptest_config(crate::testing::proptest_config(256))]

        /// Any Host value: no panic.
        #[test]
        fn any_host_value_is_judged_without_a_panic(host in "\\PC{0,40}") {
            let _ = hosts("127.0.0.1", &["docs.internal"]).allows(Some(&host));
            let _ = hosts("0.0.0.0", &[]).allows(Some(&host));
        }

        /// Any other name, in any case and with any port, is refused; the allowed ones are
        /// answered in any case and with any port.
        #[test]
        fn only_the_allowed_names_are_answered(
            name in "[a-z0-9][a-z0-9.-]{0,30}",
            upper in any::<bool>(),
            port in proptest::option::of(0u32..65536),
            pick in 0usize..4,
        ) {
            let h = hosts("127.0.0.1", &["docs.internal"]);
            let known = ["localhost", "127.0.0.1", "[::1]", "docs.internal"];
            let spell = |n: &str| {
                let n = if upper { n.to_ascii_uppercase() } else { n.to_string() };
                match port { Some(p) => format!("{n}:{p}"), None => n }
            };
            prop_assert_eq!(h.allows(Some(&spell(&name))), known.contains(&name.as_str()));
            prop_assert!(h.allows(Some(&spell(known[pick]))));
        }
    }
}
