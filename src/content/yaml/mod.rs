//! All YAML parsing, and the one module that imports serde_yaml: YAML text → a JSON value
//! tree with string keys. The plain YAML most front matter holds is read by `plain` first,
//! without a general parser; anything else goes to serde_yaml. Swapping the YAML crate for a
//! maintained fork touches this file alone.

mod plain;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

/// A YAML syntax error, positioned in the YAML text (1-based).
#[derive(Debug)]
pub struct YamlError {
    /// 1-based line in the YAML text.
    pub line: usize,
    /// 1-based column in the YAML text.
    pub column: usize,
    /// Lower-case message without the position.
    pub message: String,
}

/// Parses YAML into a value. YAML's own aliases are expanded by serde_yaml, which refuses
/// alias bombs with an error instead of expanding them.
pub fn parse(text: &str) -> Result<Value, YamlError> {
    // Most front matter is plain enough to read without a YAML parser, several times faster.
    if let Some(value) = plain::parse(text) {
        debug_assert_eq!(general(text).ok().as_ref(), Some(&value), "plain YAML read differently: {text:?}");
        return Ok(value);
    }
    general(text)
}

/// [`parse`] by serde_yaml, for any YAML.
pub(super) fn general(text: &str) -> Result<Value, YamlError> {
    // Front matter is read straight into JSON values, one tree instead of two. What that route
    // refuses (keys that are not strings, repeated keys, tags, errors) takes the route through
    // serde_yaml's own values, whose results and messages are the ones casebook has always given.
    if let Ok(Direct(value)) = serde_yaml::from_str::<Direct>(text) {
        return Ok(value);
    }
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        let message = e.to_string();
        let message = match message.find(" at line ") {
            Some(i) => message[..i].to_string(),
            None => message,
        };
        YamlError { line, column, message }
    })?;
    Ok(convert(value))
}

/// A JSON value deserialized from YAML directly: what [`convert`] gives of serde_yaml's value,
/// for documents whose every key is a string written once.
struct Direct(Value);

impl<'de> Deserialize<'de> for Direct {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DirectVisitor).map(Direct)
    }
}

struct DirectVisitor;

impl<'de> Visitor<'de> for DirectVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
        Ok(Value::from(i))
    }

    fn visit_u64<E>(self, u: u64) -> Result<Value, E> {
        Ok(Value::from(u))
    }

    // An integer past 64 bits (`ttd: 99999999999999999999`) is kept as the digits written,
    // for the field that reads it to report as too large; serde_yaml's own values refuse it,
    // which rejected the whole document.
    fn visit_i128<E>(self, i: i128) -> Result<Value, E> {
        Ok(Value::String(i.to_string()))
    }

    fn visit_u128<E>(self, u: u128) -> Result<Value, E> {
        Ok(Value::String(u.to_string()))
    }

    fn visit_f64<E>(self, f: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_string()))
    }

    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(Direct(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(StringKey(k)) = map.next_key()? {
            let Direct(v) = map.next_value()?;
            if out.insert(k, v).is_some() {
                return Err(de::Error::custom("repeated key"));
            }
        }
        Ok(Value::Object(out))
    }
}

/// A mapping key that is a string; any other key is an error for [`Direct`].
struct StringKey(String);

impl<'de> Deserialize<'de> for StringKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = String;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_str<E>(self, s: &str) -> Result<String, E> {
                Ok(s.to_string())
            }
            fn visit_string<E>(self, s: String) -> Result<String, E> {
                Ok(s)
            }
        }
        d.deserialize_any(KeyVisitor).map(StringKey)
    }
}

fn convert(value: serde_yaml::Value) -> Value {
    use serde_yaml::Value as Y;
    match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64().and_then(serde_json::Number::from_f64).map_or(Value::Null, Value::Number)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(items.into_iter().map(convert).collect()),
        Y::Mapping(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    _ => continue,
                };
                out.insert(key, convert(v));
            }
            Value::Object(out)
        }
        Y::Tagged(t) => convert(t.value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_integer_past_64_bits_is_kept_as_written() {
        let v = parse("ttd: 99999999999999999999\nlow: -99999999999999999999\nsmall: 12\n").expect("valid yaml");
        assert_eq!(v["ttd"], "99999999999999999999");
        assert_eq!(v["low"], "-99999999999999999999");
        assert_eq!(v["small"], 12);
    }

    #[test]
    fn converts_scalars_lists_and_maps() {
        let v = parse("a: 1\nb: [x, true]\nc: {d: 2024-03-12}\n2024: y\n").expect("valid yaml");
        assert_eq!(v["a"], 1);
        assert_eq!(v["b"][1], true);
        assert_eq!(v["c"]["d"], "2024-03-12");
        assert_eq!(v["2024"], "y");
    }

    /// Both routes, for the documents the direct one accepts.
    fn through_yaml_values(text: &str) -> Value {
        convert(serde_yaml::from_str(text).expect("valid yaml"))
    }

    #[test]
    fn the_direct_route_gives_what_serde_yaml_values_give() {
        let docs = [
            "a: 1\nb: -2\nc: 1.5\nd: .inf\ne: 18446744073709551615\nf: 0x1f\ng: ~\nh:\ni: true\nj: 'x'\n",
            "list:\n  - a\n  - {b: [1, 2], c: null}\nnested: {x: {y: z}}\ntext: |\n  two\n  lines\n",
            "anchor: &a [x, y]\nagain: *a\nempty_list: []\nempty_map: {}\n",
            "",
            "just text",
        ];
        for text in docs {
            let direct = serde_yaml::from_str::<Direct>(text).map(|d| d.0).ok();
            assert_eq!(direct, Some(through_yaml_values(text)), "{text}");
        }
    }

    #[test]
    fn what_the_direct_route_refuses_is_read_as_before() {
        for text in ["1: a\nb: c\n", "true: x\n", "~: x\ny: 1\n", "a: !tag x\n", "[a]: b\n"] {
            assert!(serde_yaml::from_str::<Direct>(text).is_err(), "{text}");
            assert_eq!(parse(text).ok(), Some(through_yaml_values(text)), "{text}");
        }
        let repeated = parse("a: 1\na: 2\n").expect_err("repeated keys are refused");
        assert!(repeated.message.contains("duplicate"), "{repeated:?}");
    }

    #[test]
    fn syntax_errors_have_a_position() {
        let e = parse("a: 1\nb: [x\n").expect_err("invalid yaml");
        assert!(e.line >= 2, "{e:?}");
        assert!(!e.message.contains(" at line "));
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text =
            String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        let names = ["b", "c", "d", "e", "f", "g", "h", "i"];
        let mut prev = "a";
        for n in names {
            text.push_str(&format!(
                "{n}: &{n} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
            ));
            prev = n;
        }
        assert!(parse(&text).is_err());
    }
}
