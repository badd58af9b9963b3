//! The menus (`<details class="menu">`: the toolbar's filters, group by, favorites, columns
//! and export, and the "More" of the phone's bottom bar) behave as one family: one is open
//! at a time, Escape, a click anywhere outside or going to another page closes it, and where
//! a menu is a sheet over a backdrop (every menu on a phone, a `menu--bottom-sheet` wherever
//! it shows), a tap on the backdrop, on its button or on a choice in the sheet closes it.
//! One pair of window listeners, made by the shell, serves every menu of every page.

/// Below this width (40rem, as in `style/main.css`) menus are sheets from the bottom.
#[cfg(feature = "hydrate")]
const SHEET_MAX_WIDTH: f64 = 640.0;

/// Installs the behaviour for the life of the calling component (the shell).
pub fn use_menu_behaviour() {
    #[cfg(feature = "hydrate")]
    {
        use leptos::prelude::*;
        use wasm_bindgen::JsCast;

        let click = window_event_listener(leptos::ev::click, |event| {
            let Some(target) = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            else {
                return;
            };
            let menu = target.closest("details.menu").ok().flatten();
            let narrow = window()
                .inner_width()
                .ok()
                .and_then(|w| w.as_f64())
                .is_some_and(|w| w < SHEET_MAX_WIDTH);
            let target_node: &web_sys::Node = &target;
            match &menu {
                // The backdrop of a sheet is the menu's own box: the tap lands on the menu
                // itself, not on anything inside it (its button included, which the backdrop
                // covers).
                Some(menu)
                    if menu.is_same_node(Some(target_node)) && menu.has_attribute("open") =>
                {
                    event.prevent_default();
                    let _ = menu.remove_attribute("open");
                }
                // A choice in a sheet is made: the sheet has done its work.
                Some(menu)
                    if (narrow || is_bottom_sheet(menu))
                        && menu.has_attribute("open")
                        && target.closest(".menu__panel a").ok().flatten().is_some() =>
                {
                    let _ = menu.remove_attribute("open");
                }
                _ => {}
            }
            close_menus_except(menu.as_ref());
        });
        let keydown = window_event_listener(leptos::ev::keydown, |event| {
            if event.key() != "Escape" {
                return;
            }
            let open = document()
                .query_selector("details.menu[open]")
                .ok()
                .flatten();
            if let Some(menu) = open {
                let _ = menu.remove_attribute("open");
                if let Some(summary) = menu
                    .query_selector("summary")
                    .ok()
                    .flatten()
                    .and_then(|s| s.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = summary.focus();
                }
            }
        });
        // Whichever way the user left the page (a link, Back), what a menu offered is done.
        let location = leptos_router::hooks::use_location();
        Effect::new(move |_| {
            location.pathname.track();
            close_menus_except(None);
        });
        on_cleanup(move || {
            click.remove();
            keydown.remove();
        });
    }
}

/// A menu that is a sheet at every width it shows at, not only on a phone.
#[cfg(feature = "hydrate")]
fn is_bottom_sheet(menu: &web_sys::Element) -> bool {
    menu.matches(".menu--bottom-sheet").unwrap_or(false)
}

/// Closes every open menu but `keep`.
#[cfg(feature = "hydrate")]
fn close_menus_except(keep: Option<&web_sys::Element>) {
    let Ok(open) = leptos::prelude::document().query_selector_all("details.menu[open]") else {
        return;
    };
    for index in 0..open.length() {
        let Some(node) = open.item(index) else {
            continue;
        };
        if keep.is_some_and(|k| k.is_same_node(Some(&node))) {
            continue;
        }
        if let Ok(menu) = wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(node) {
            let _ = menu.remove_attribute("open");
        }
    }
}
