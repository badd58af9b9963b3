//! The database and HTTP tests of the server, as one test binary: the app is linked once,
//! not once per file. Each module tells the stories of one feature against the real router.

mod common;

mod auth;
mod catalogue_tasks;
mod contacts;
mod crm;
mod dashboard;
mod hours;
mod invoices;
mod invoices_order;
mod pages;
mod pivot;
mod policy;
mod project_mail;
mod projects;
mod restart;
mod sales;
mod security;
mod transactions;
mod users;
