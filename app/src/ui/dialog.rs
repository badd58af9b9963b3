//! A modal dialog: a backdrop that closes it when clicked, Escape to close, and a titled
//! section that screen readers announce as a dialog. Opening it moves the keyboard focus into
//! it (unless something in it already has it), so that Escape and Tab work at once.

use leptos::prelude::*;

#[component]
pub fn Dialog(
    /// The id of the title element, for `aria-labelledby`.
    title_id: &'static str,
    #[prop(into)] title: Signal<String>,
    on_close: Callback<()>,
    #[prop(optional)] wide: bool,
    /// Shown at the right of the title (e.g. a link to the full page).
    #[prop(optional)]
    aside: Option<AnyView>,
    children: Children,
) -> impl IntoView {
    let section = NodeRef::<leptos::html::Section>::new();
    Effect::new(move |_| {
        if let Some(section) = section.get() {
            let inside = document().active_element().is_some_and(|active| {
                let active: &web_sys::Node = &active;
                section.contains(Some(active))
            });
            if !inside {
                let _ = section.focus();
            }
        }
    });
    view! {
        <div class="dialog-backdrop" on:click=move |event| {
            if event.target() == event.current_target() { on_close.run(()) }
        }>
            <section node_ref=section tabindex="-1" class="dialog" class:dialog--wide=wide role="dialog" aria-modal="true"
                aria-labelledby=title_id
                on:keydown=move |event| if event.key() == "Escape" { on_close.run(()) }>
                <header class="dialog__header">
                    <h2 id=title_id>{title}</h2>
                    {aside}
                </header>
                {children()}
            </section>
        </div>
    }
}
