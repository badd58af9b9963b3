//! Form controls that keep what the user typed before the page came alive.
//!
//! Pages are rendered on the server and the browser code takes them over later
//! ("hydration"). A plain `prop:value=signal` writes the signal into the control at that
//! moment, and whatever was typed, ticked or picked in the meantime is gone. [`kept`] (for
//! `prop:value`) and [`kept_checked`] (for `prop:checked`) bind the property exactly like a
//! plain signal or closure — the control follows every later change — except at hydration:
//! a control the user already changed (it no longer shows what the server sent) is left as
//! it is, and its `input` and `change` events are sent again as soon as the page is alive.
//! The page's own handlers then take the text in (the signal, a "changed" flag, a live
//! search) as if it had been typed a moment later, so it is also *used*, not just shown.
//!
//! ```ignore
//! <input prop:value=kept(title) on:input=move |e| title.set(event_target_value(&e))/>
//! <input type="checkbox" prop:checked=kept_checked(done) on:change=move |e| done.set(event_target_checked(&e))/>
//! <textarea prop:value=kept(move || line().text) on:input=...>{initial_text}</textarea>
//! ```
//!
//! Use them on every control a server-rendered page shows (page bodies, toolbars, record
//! forms). A control that only appears after a click (a dialog, a row added in the browser)
//! is built, not hydrated, and behaves as with a plain `prop:`. The control needs its handler
//! (`on:input` or `on:change`): that is what adopts the text. On a one-way control (`value=`
//! and a handler, no `prop:`) `kept(initial_text)` adds just the replay.
//!
//! The server renders nothing for a `prop:` (as before): a control that must show its value
//! before hydration also gets `value=` (a `<textarea>` its text, an `<option>` `selected`).
//! What "the user changed it" means: an `<input>` or `<textarea>` whose value differs from its
//! `defaultValue` (the server's `value=` or text), a `<select>` whose value is not the one its
//! `selected` option (else its first) gives, a checkbox or radio whose `checked` differs from
//! `defaultChecked`. A browser that restores a form (Back, reload) counts as the user: it shows
//! what they typed.

use leptos::leptos_dom::helpers::queue_microtask;
use leptos::prelude::*;
use leptos::reactive::effect::RenderEffect;
use leptos::tachys::html::property::IntoProperty;
use leptos::tachys::renderer::types::Element;
use wasm_bindgen::JsValue;

/// A `prop:value` or `prop:checked` binding that keeps, at hydration, what the user already
/// typed; made by [`kept`] and [`kept_checked`].
pub struct Kept<T: Send + Sync + 'static>(Signal<T>);

impl<T: Send + Sync + 'static> Clone for Kept<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Kept<T> {}

/// `prop:value=kept(text)`: binds the value to `text` (a signal, a closure, or a fixed
/// `String`) and keeps, at hydration, what was typed before it.
pub fn kept<M>(text: impl IntoReactiveValue<Signal<String>, M>) -> Kept<String> {
    Kept(text.into_reactive_value())
}

/// `prop:checked=kept_checked(on)`: binds the tick to `on` (a signal, a closure, or a fixed
/// `bool`) and keeps, at hydration, a tick the user already changed.
pub fn kept_checked<M>(on: impl IntoReactiveValue<Signal<bool>, M>) -> Kept<bool> {
    Kept(on.into_reactive_value())
}

// Both delegate to tachys' own binding of a closure (`RenderEffect<(Element, JsValue)>` as the
// state); the closure gives `Option<_>` because `None` is the one value tachys does not write
// on hydration.
macro_rules! kept_property {
    ($ty:ty) => {
        impl IntoProperty for Kept<$ty> {
            type State = RenderEffect<<Option<$ty> as IntoProperty>::State>;
            type Cloneable = Self;
            type CloneableOwned = Self;

            fn hydrate<const FROM_SERVER: bool>(self, el: &Element, key: &str) -> Self::State {
                let source = self.0;
                let changed = if FROM_SERVER {
                    changed_by_user(el, key)
                } else {
                    None
                };
                match changed {
                    None => {
                        IntoProperty::hydrate::<FROM_SERVER>(move || Some(source.get()), el, key)
                    }
                    Some(replay) => {
                        if replay {
                            replay_events(el.clone());
                        }
                        // The first run leaves the control alone (but tracks the source); from
                        // then on it follows the source, which the replayed events update.
                        let mut first = true;
                        IntoProperty::hydrate::<FROM_SERVER>(
                            move || {
                                let current = source.get();
                                if std::mem::take(&mut first) {
                                    None
                                } else {
                                    Some(current)
                                }
                            },
                            el,
                            key,
                        )
                    }
                }
            }

            fn build(self, el: &Element, key: &str) -> Self::State {
                let source = self.0;
                IntoProperty::build(move || Some(source.get()), el, key)
            }

            fn rebuild(self, state: &mut Self::State, key: &str) {
                let source = self.0;
                IntoProperty::rebuild(move || Some(source.get()), state, key)
            }

            fn into_cloneable(self) -> Self::Cloneable {
                self
            }

            fn into_cloneable_owned(self) -> Self::CloneableOwned {
                self
            }
        }
    };
}

kept_property!(String);
kept_property!(bool);

/// `None` when the control shows what the server sent; otherwise whether its events are to be
/// sent again (not for a radio button that lost its tick: the one that got it tells).
fn changed_by_user(el: &Element, key: &str) -> Option<bool> {
    let control: &JsValue = el.as_ref();
    match key {
        "checked" => {
            let checked = read(control, "checked").as_bool()?;
            let sent = read(control, "defaultChecked").as_bool()?;
            let radio = read(control, "type").as_string().as_deref() == Some("radio");
            (checked != sent).then_some(checked || !radio)
        }
        "value" => {
            let value = read(control, "value").as_string()?;
            // `<input>` and `<textarea>` have a `defaultValue`; a `<select>` does not.
            let sent = match read(control, "defaultValue").as_string() {
                Some(sent) => sent,
                None => selected_by_server(control)?,
            };
            (value != sent).then_some(true)
        }
        _ => None,
    }
}

/// The value a `<select>` had as the server sent it: its last option marked `selected`, else
/// its first enabled option.
fn selected_by_server(select: &JsValue) -> Option<String> {
    let options = read(select, "options");
    let count = read(&options, "length").as_f64()? as u32;
    let (mut marked, mut first) = (None, None);
    for index in 0..count {
        let option = js_sys::Reflect::get(&options, &JsValue::from(index)).ok()?;
        let value = read(&option, "value").as_string();
        if first.is_none() && read(&option, "disabled").as_bool() != Some(true) {
            first = value.clone();
        }
        if read(&option, "defaultSelected").as_bool() == Some(true) {
            marked = value;
        }
    }
    marked.or(first)
}

fn read(target: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(target, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// Sends `input` and `change` (bubbling, for delegated handlers) once the hydration pass is
/// over and every handler is in place, as the browser does when the user types or picks.
fn replay_events(control: Element) {
    queue_microtask(move || {
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        for kind in ["input", "change"] {
            if let Ok(event) = web_sys::Event::new_with_event_init_dict(kind, &init) {
                let _ = control.dispatch_event(&event);
            }
        }
    });
}
