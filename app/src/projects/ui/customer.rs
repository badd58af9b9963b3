//! The projects of a customer, on its contact page: state, dates, budget and hours.

use super::page::{period_text, state_label};
use crate::contacts::ContactRef;
use crate::error::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::locale::{format_hours, from_locale};
use crate::projects::CustomerProject;
use crate::ui::{Icon, IconName};
use leptos::prelude::*;

pub type CustomerProjectsResource = Resource<Result<Vec<CustomerProject>, AppError>>;

#[component]
pub fn CustomerProjects(customer: ContactRef, projects: CustomerProjectsResource) -> impl IntoView {
    let i18n = use_i18n();
    let language = move || from_locale(i18n.get_locale());
    let new_href = format!(
        "/projects/new?customer={}&customer_name={}",
        customer.id,
        crate::auth::encode_query_value(&customer.name)
    );
    view! {
        <section class="card contact-projects" aria-labelledby="contact-projects-title">
            <header class="card__header">
                <h2 id="contact-projects-title">{t!(i18n, projects.title)}</h2>
                <a class="button button--small" href=new_href>
                    <Icon name=IconName::Plus/><span>{t!(i18n, projects.new_button)}</span>
                </a>
            </header>
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let list = projects.await.unwrap_or_default();
                    if list.is_empty() {
                        return view! { <p class="muted">{t!(i18n, projects.none_for_customer)}</p> }.into_any();
                    }
                    view! {
                        <div class="table-wrap">
                            <table class="table" data-testid="customer-projects">
                                <thead>
                                    <tr>
                                        <th scope="col">{t!(i18n, projects.project_title)}</th>
                                        <th scope="col">{t!(i18n, projects.state)}</th>
                                        <th scope="col">{t!(i18n, projects.period)}</th>
                                        <th scope="col" class="numeric">{t!(i18n, projects.budget)}</th>
                                        <th scope="col" class="numeric">{t!(i18n, projects.hours_spent)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {list.into_iter().map(|p| {
                                        let state = p.state;
                                        let (start, end) = (p.start_date, p.end_date);
                                        let dates = move || period_text(language(), start, end).unwrap_or_default();
                                        view! {
                                            <tr>
                                                <th scope="row" data-label=move || t_string!(i18n, projects.project_title)>
                                                    <a href=crate::projects::project_href(p.id)>{format!("{} {}", p.number, p.title)}</a>
                                                </th>
                                                <td data-label=move || t_string!(i18n, projects.state)>
                                                    <span class=format!("badge badge--{}", state.as_str())>{move || state_label(i18n.get_locale(), state)}</span>
                                                </td>
                                                <td data-label=move || t_string!(i18n, projects.period)>{dates}</td>
                                                <td class="numeric" data-label=move || t_string!(i18n, projects.budget)>
                                                    {move || p.budget.map(|b| b.format(language())).unwrap_or_default()}
                                                </td>
                                                <td class="numeric" data-label=move || t_string!(i18n, projects.hours_spent)>
                                                    {move || format_hours(language(), p.hours_spent)}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                })}
            </Suspense>
        </section>
    }
}
