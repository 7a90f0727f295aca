//! A list in the PID context that the template engine converts item by
//! item, when the template reads it, instead of all at once before
//! rendering. The built-in template prints the long lists as written-out
//! tables (`tables.*`) and only asks whether they are empty, so their
//! thousands of items are never converted at all; a template that loops
//! over a list converts each item as it reaches it, as before.
//!
//! To anything but the template engine (the JSON a custom template's
//! renderer receives, tests) it is the list itself.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use minijinja::value::{Enumerator, Object, ObjectRepr, Value, serializing_for_value};
use serde::{Serialize, Serializer};

/// The items, shared with the engine's view of them.
pub struct Lazy<T>(Arc<Vec<T>>);

impl<T> From<Vec<T>> for Lazy<T> {
    fn from(items: Vec<T>) -> Lazy<T> {
        Lazy(Arc::new(items))
    }
}

impl<T> Deref for Lazy<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        &self.0
    }
}

impl<T: fmt::Debug> fmt::Debug for Lazy<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<T> Serialize for Lazy<T>
where
    T: Serialize + fmt::Debug + Send + Sync + 'static,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializing_for_value() {
            Value::from_object(Lazy(Arc::clone(&self.0))).serialize(serializer)
        } else {
            self.0.serialize(serializer)
        }
    }
}

/// The engine's view: a sequence whose length is known without converting
/// anything, and whose items are converted when read.
impl<T> Object for Lazy<T>
where
    T: Serialize + fmt::Debug + Send + Sync + 'static,
{
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let item = self.0.get(key.as_usize()?)?;
        Some(Value::from(minijinja::value::Serde(item)))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.0.len())
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        Some(self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Serialize)]
    struct Item {
        id: String,
        done: bool,
    }

    #[derive(Serialize)]
    struct Both {
        lazy: Lazy<Item>,
        list: Vec<Item>,
        empty: Lazy<Item>,
    }

    /// What a template sees of a lazy list is what it sees of the list.
    #[test]
    fn templates_read_a_lazy_list_as_the_list_itself() {
        let items: Vec<Item> = (0..5)
            .map(|i| Item {
                id: format!("P-{i}"),
                done: i % 2 == 0,
            })
            .collect();
        let both = Both {
            lazy: items.clone().into(),
            list: items,
            empty: Vec::new().into(),
        };
        let ctx = Value::from(minijinja::value::Serde(&both));
        let env = minijinja::Environment::new();
        for expr in [
            "{{ X | length }}",
            "{% for p in X %}{{ loop.index }}:{{ p.id }},{% endfor %}",
            "{{ X[2].id }} {{ X[-1].id }}",
            "{{ X | map(attribute='id') | join(', ') }}",
            "{{ X | selectattr('done') | map(attribute='id') | list }}",
            "{% for p in X[1:3] %}{{ p.id }}{% endfor %}",
            "{{ X | reverse | map(attribute='id') | first }}",
            "{% if X %}some{% else %}none{% endif %}",
        ] {
            let render = |name: &str| {
                env.render_str(&expr.replace('X', name), &ctx)
                    .map_err(|e| e.to_string())
            };
            assert_eq!(render("lazy"), render("list"), "{expr}");
            assert!(render("lazy").is_ok(), "{expr}: {:?}", render("lazy"));
        }
        assert_eq!(
            env.render_str(
                "{% if empty %}some{% else %}none{% endif %} {{ empty | length }}",
                &ctx
            )
            .ok()
            .as_deref(),
            Some("none 0")
        );
        // Outside the engine it is the list.
        assert_eq!(
            serde_json::to_value(&both.lazy).ok(),
            serde_json::to_value(&both.list).ok()
        );
    }
}
