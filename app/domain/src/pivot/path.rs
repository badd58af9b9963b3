//! A group path as text, for the URL's list of open groups: any key survives, and the group
//! without a value is told apart from every key, the empty text included.

use super::{MAX_KEY_CHARS, MAX_LEVELS};

/// The keys of a group and of the groups above it, first level first; `None` is the group
/// of records without a value. The empty path is the total.
pub type GroupPath = Vec<Option<String>>;

/// A group path as one query value: each key as `=` and its text, with `\` before any `\`
/// or `/` in it, or `~` for the group without a value; joined by `/`. So `=Acme/~` is
/// Acme's records without a salesperson, and `=a\/b` the one key `a/b`.
pub fn encode_path(path: &[Option<String>]) -> String {
    let mut text = String::new();
    for (index, key) in path.iter().enumerate() {
        if index > 0 {
            text.push('/');
        }
        match key {
            None => text.push('~'),
            Some(key) => {
                text.push('=');
                for c in key.chars() {
                    if matches!(c, '\\' | '/') {
                        text.push('\\');
                    }
                    text.push(c);
                }
            }
        }
    }
    text
}

/// Reads what [`encode_path`] writes. `None` for anything else, for the empty path, for more
/// than `MAX_LEVELS` keys and for a key longer than `MAX_KEY_CHARS`.
pub fn decode_path(text: &str) -> Option<GroupPath> {
    let mut path = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        if path.len() == MAX_LEVELS {
            return None;
        }
        let key = match chars.next()? {
            '~' => None,
            '=' => {
                let mut key = String::new();
                let mut length = 0;
                while let Some(c) = chars.next_if(|&c| c != '/') {
                    let c = if c == '\\' { chars.next()? } else { c };
                    length += 1;
                    if length > MAX_KEY_CHARS {
                        return None;
                    }
                    key.push(c);
                }
                Some(key)
            }
            _ => return None,
        };
        path.push(key);
        match chars.next() {
            None => return Some(path),
            Some('/') => {}
            Some(_) => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(keys: &[Option<&str>]) -> GroupPath {
        keys.iter().map(|key| key.map(str::to_string)).collect()
    }

    #[test]
    fn paths_keep_any_key_and_the_group_without_one() {
        let tricky = path(&[Some("a/b\\c"), None, Some("~")]);
        assert_eq!(encode_path(&tricky), "=a\\/b\\\\c/~/=~");
        assert_eq!(decode_path(&encode_path(&tricky)), Some(tricky));
        let empty_key = path(&[Some("")]);
        assert_eq!(encode_path(&empty_key), "=");
        assert_eq!(decode_path("="), Some(empty_key));
        assert_eq!(decode_path("~"), Some(path(&[None])));
        for refused in [
            "",
            "*",
            "Acme",
            "~x",
            "=a/",
            "/=a",
            "=a\\",
            "=a/=b/=c/=d",
            "~~",
        ] {
            assert_eq!(decode_path(refused), None, "{refused}");
        }
    }
}
