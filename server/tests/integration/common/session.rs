//! A browser's session in the tests: a cookie jar that calls server functions with the app's
//! own request structs (`ConfirmQuote { id }`), posted to their `ServerFn::PATH` in the
//! encoding their `#[server]` declares, and the answer read back whole.

use leptos::server_fn::codec::{Json, PostUrl};
use leptos::server_fn::{Http, ServerFn};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use std::marker::PhantomData;
use std::ops::Deref;

/// How a server function's protocol carries its arguments: the two encodings the app uses.
pub trait Arguments {
    fn attach<A: Serialize>(
        request: reqwest::RequestBuilder,
        arguments: &A,
    ) -> reqwest::RequestBuilder;
}

/// The default (`PostUrl`): a form body, nested fields as `project[title]`, written by the
/// serde_qs that server_fn itself uses on both ends.
impl<Output> Arguments for Http<PostUrl, Output> {
    fn attach<A: Serialize>(
        request: reqwest::RequestBuilder,
        arguments: &A,
    ) -> reqwest::RequestBuilder {
        let form = serde_qs::to_string(arguments).expect("the arguments encode as a form");
        request
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(form)
    }
}

/// `input = Json`.
impl<Output> Arguments for Http<Json, Output> {
    fn attach<A: Serialize>(
        request: reqwest::RequestBuilder,
        arguments: &A,
    ) -> reqwest::RequestBuilder {
        request.json(arguments)
    }
}

/// One browser: its cookies are its session. It is also the plain HTTP client, for pages,
/// files and the requests that are deliberately not what the browser sends.
#[derive(Clone)]
pub struct Session {
    client: reqwest::Client,
    address: String,
}

impl Deref for Session {
    type Target = reqwest::Client;

    fn deref(&self) -> &reqwest::Client {
        &self.client
    }
}

impl Session {
    pub fn new(address: &str, client: reqwest::Client) -> Session {
        Session {
            client,
            address: address.to_string(),
        }
    }

    /// Calls the server function of `request` and reads its answer.
    pub async fn call<F>(&self, request: F) -> Reply<<F as ServerFn>::Output>
    where
        F: ServerFn + Serialize,
        <F as ServerFn>::Protocol: Arguments,
    {
        Reply::read(F::PATH, self.call_raw(request).await).await
    }

    /// The same, with the answer as it came (for its headers).
    pub async fn call_raw<F>(&self, request: F) -> reqwest::Response
    where
        F: ServerFn + Serialize,
        <F as ServerFn>::Protocol: Arguments,
    {
        let http = self
            .client
            .post(format!("{}{}", self.address, F::PATH))
            .header(reqwest::header::ACCEPT, "application/json");
        <<F as ServerFn>::Protocol as Arguments>::attach(http, &request)
            .send()
            .await
            .unwrap()
    }
}

/// A server function's answer: its status and its JSON body (a body that is not JSON is kept
/// as a string), and the output type to read a success as.
pub struct Reply<T> {
    path: &'static str,
    pub status: u16,
    pub body: Value,
    output: PhantomData<T>,
}

impl<T> Reply<T> {
    async fn read(path: &'static str, response: reqwest::Response) -> Reply<T> {
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Reply {
            path,
            status,
            body,
            output: PhantomData,
        }
    }

    /// The body of an answer that must be a success, as JSON.
    pub fn ok_json(self) -> Value {
        assert_eq!(self.status, 200, "{}: {}", self.path, self.body);
        self.body
    }

    /// The field an `Invalid` refusal names ("" for any other answer).
    pub fn field(&self) -> &str {
        self.body["Invalid"]["field"].as_str().unwrap_or_default()
    }

    /// The problem an `Invalid` refusal names ("" for any other answer).
    pub fn problem(&self) -> &str {
        self.body["Invalid"]["problem"].as_str().unwrap_or_default()
    }

    /// A refusal's message, written by the server in the caller's language.
    pub fn message(&self) -> &str {
        self.body["Invalid"]["message"].as_str().unwrap_or_default()
    }
}

impl<T: DeserializeOwned> Reply<T> {
    /// The output of an answer that must be a success.
    pub fn ok(self) -> T {
        let path = self.path;
        serde_json::from_value(self.ok_json())
            .unwrap_or_else(|error| panic!("{path}: the output does not read back: {error}"))
    }
}
