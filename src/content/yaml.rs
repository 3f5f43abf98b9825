//! The one module that imports serde_yaml: YAML text → a JSON value tree with string keys.
//! Swapping the YAML crate for a maintained fork touches this file alone.

use serde_json::{Map, Value};

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
    fn converts_scalars_lists_and_maps() {
        let v = parse("a: 1\nb: [x, true]\nc: {d: 2024-03-12}\n2024: y\n").expect("valid yaml");
        assert_eq!(v["a"], 1);
        assert_eq!(v["b"][1], true);
        assert_eq!(v["c"]["d"], "2024-03-12");
        assert_eq!(v["2024"], "y");
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
