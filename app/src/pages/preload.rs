//! The wasm a page needs beyond the first load, named in its head so that the browser fetches
//! it alongside the main module instead of after it: the bundles of its lazy functions
//! (xtask/src/bundle.rs), which the split loader then takes its modules from. Leptos names a
//! page's modules only for pages rendered whole before the head is sent; Atrium streams its
//! pages in order.

use leptos::prelude::*;

/// The split functions the page at `path` calls while it is taken over: its section's, the
/// list engine's when the page opens on a list, and the CRM calendar's when it opens on it.
/// `show` is the query's `show`.
#[cfg(feature = "ssr")]
fn lazy_parts(path: &str, show: Option<&str>) -> Vec<&'static str> {
    let mut segments = path.trim_matches('/').split('/');
    let first = segments.next().unwrap_or_default();
    let second = segments.next();
    let section = match first {
        "" => "dashboard",
        "contacts" => "contact_pages",
        "crm" if second.is_none() => "crm_board",
        "crm" if second == Some("settings") => "settings_pages",
        "crm" => "crm_pages",
        "activities" => "activity_pages",
        "quotes" => "quote_pages",
        "invoices" => "invoice_pages",
        "products" => "product_pages",
        "outbox" => "outbox_pages",
        "projects" if second.is_none() => "project_list",
        "projects" => "project_pages",
        "tasks" | "my-tasks" | "hours" => "task_pages",
        "settings" => "settings_pages",
        _ => return Vec::new(),
    };
    // The lists (app/src/views/ui): each list page opens on its list, but the CRM, whose first
    // view is its board, and a list page shown as something else (`show=board`, …).
    let list_page = second.is_none()
        && matches!(
            first,
            "contacts" | "crm" | "quotes" | "invoices" | "projects" | "tasks" | "hours"
        );
    let shows_list = match show {
        Some(show) => matches!(show, "list" | "pivot" | "graph"),
        None => first != "crm",
    };
    if list_page && shows_list {
        vec![section, "list_engine"]
    } else if first == "crm" && second.is_none() && show == Some("calendar") {
        vec![section, "closing_calendar"]
    } else {
        vec![section]
    }
}

/// `<link rel="preload">` for each bundle the signed-in page needs beyond the first load (none
/// for a signed-out visitor, who is shown the sign-in page).
#[component]
pub fn PagePreloads(options: LeptosOptions) -> impl IntoView {
    preloads(options)
}

#[cfg(not(feature = "ssr"))]
fn preloads(_options: LeptosOptions) -> AnyView {
    ().into_any()
}

#[cfg(feature = "ssr")]
fn preloads(options: LeptosOptions) -> AnyView {
    let Some(parts) = use_context::<http::request::Parts>() else {
        return ().into_any();
    };
    let signed_in = parts
        .extensions
        .get::<crate::auth::session::Authenticated>()
        .is_some_and(|signed_in| signed_in.0.is_some());
    let Some(bundles) = bundles::read(&options).filter(|_| signed_in) else {
        return ().into_any();
    };
    let show = parts.uri.query().and_then(|query| {
        query
            .split('&')
            .find_map(|pair| pair.strip_prefix("show="))
            .map(str::to_string)
    });
    let files = bundles.files(&lazy_parts(parts.uri.path(), show.as_deref()));
    if files.is_empty() {
        return ().into_any();
    }
    let pkg = format!("/{}", options.site_pkg_dir);
    view! {
        <link rel="modulepreload" href=format!("{pkg}/{}", bundles.loader) crossorigin="anonymous"/>
        {files.into_iter().map(|file| view! {
            <link rel="preload" href=format!("{pkg}/{file}") r#as="fetch" crossorigin="anonymous"/>
        }).collect_view()}
    }
    .into_any()
}

#[cfg(feature = "ssr")]
mod bundles {
    use leptos::config::LeptosOptions;
    use std::collections::BTreeMap;
    use std::sync::OnceLock;

    /// The bundles of a split build (xtask/src/bundle.rs): each lazy function's, by its key
    /// (`crm_pages_<hash>`), from the index the build writes beside them (`bundles.json`: its
    /// own bundle, then the shared ones it needs); and the split loader's name.
    pub struct Bundles {
        index: BTreeMap<String, Vec<String>>,
        pub loader: String,
    }

    impl Bundles {
        /// The bundles of the lazy functions named, each once.
        pub fn files(&self, functions: &[&str]) -> Vec<&str> {
            let mut files: Vec<&str> = Vec::new();
            for function in functions {
                let named = self.index.iter().find(|(key, _)| {
                    key.strip_prefix(function)
                        .and_then(|rest| rest.strip_prefix('_'))
                        .is_some_and(|hash| hash.bytes().all(|b| b.is_ascii_digit()))
                });
                for file in named.into_iter().flat_map(|(_, list)| list) {
                    if !files.contains(&file.as_str()) {
                        files.push(file);
                    }
                }
            }
            files
        }
    }

    /// Read once; none for a bundle built without `--split`.
    pub fn read(options: &LeptosOptions) -> Option<&'static Bundles> {
        static BUNDLES: OnceLock<Option<Bundles>> = OnceLock::new();
        BUNDLES.get_or_init(|| load(options)).as_ref()
    }

    fn load(options: &LeptosOptions) -> Option<Bundles> {
        let pkg =
            std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
        let loader = std::fs::read_dir(&pkg)
            .ok()?
            .flatten()
            .filter_map(|entry| entry.file_name().to_str().map(str::to_string))
            .find(|name| name.starts_with("__wasm_split.") && name.ends_with(".js"))?;
        let index = std::fs::read_to_string(pkg.join("bundles.json")).ok()?;
        let index = serde_json::from_str(&index).ok()?;
        Some(Bundles { index, loader })
    }

    #[test]
    fn a_page_names_each_bundle_once_shared_ones_included() {
        let list = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        let bundles = Bundles {
            index: BTreeMap::from([
                (
                    "contact_pages_17".to_string(),
                    list(&["contact_pages_17.a.bundle", "shared_0.s.bundle"]),
                ),
                (
                    "list_engine_42".to_string(),
                    list(&[
                        "list_engine_42.b.bundle",
                        "shared_0.s.bundle",
                        "shared_1.t.bundle",
                    ]),
                ),
            ]),
            loader: String::new(),
        };
        assert_eq!(
            bundles.files(&["contact_pages", "list_engine"]),
            [
                "contact_pages_17.a.bundle",
                "shared_0.s.bundle",
                "list_engine_42.b.bundle",
                "shared_1.t.bundle"
            ]
        );
        assert!(bundles.files(&["contact"]).is_empty());
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::lazy_parts;

    #[test]
    fn a_page_needs_its_section_and_the_list_engine_when_it_opens_on_a_list() {
        assert_eq!(lazy_parts("/", None), ["dashboard"]);
        assert_eq!(lazy_parts("/sign-in", None), Vec::<&str>::new());
        assert_eq!(
            lazy_parts("/contacts", None),
            ["contact_pages", "list_engine"]
        );
        assert_eq!(lazy_parts("/contacts/new", None), ["contact_pages"]);
        assert_eq!(lazy_parts("/crm", None), ["crm_board"]);
        assert_eq!(
            lazy_parts("/crm", Some("pivot")),
            ["crm_board", "list_engine"]
        );
        assert_eq!(
            lazy_parts("/crm", Some("calendar")),
            ["crm_board", "closing_calendar"]
        );
        assert_eq!(lazy_parts("/crm/settings", None), ["settings_pages"]);
        assert_eq!(lazy_parts("/crm/new", None), ["crm_pages"]);
        assert_eq!(lazy_parts("/projects", Some("board")), ["project_list"]);
        assert_eq!(
            lazy_parts("/projects/", None),
            ["project_list", "list_engine"]
        );
        assert_eq!(lazy_parts("/projects/new", None), ["project_pages"]);
        assert_eq!(lazy_parts("/my-tasks", None), ["task_pages"]);
        assert_eq!(lazy_parts("/hours", None), ["task_pages", "list_engine"]);
        assert_eq!(
            lazy_parts("/settings/mail-templates", None),
            ["settings_pages"]
        );
        assert_eq!(lazy_parts("/settings/users", None), ["settings_pages"]);
    }
}
