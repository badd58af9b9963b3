//! Outgoing e-mail over SMTP with lettre: the outbox sender's way out. The URL names the
//! server, e.g. `smtps://user:password@mail.example.com:465`, `smtp://mail.example.com:587`
//! (STARTTLS) or `smtp://localhost:25?tls=none` for a local relay.

use app::outbox::db::{Mailer, Outgoing};
use app::shared::DeliveryFailure;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::future::Future;
use std::pin::Pin;

pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    pub fn new(url: &str, from: &str) -> anyhow::Result<SmtpMailer> {
        use anyhow::Context;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .context("ATRIUM_SMTP_URL is not a usable SMTP URL")?
            .build();
        let from = from
            .parse()
            .context("ATRIUM_SMTP_FROM is not an e-mail address")?;
        Ok(SmtpMailer { transport, from })
    }

    fn message(&self, outgoing: Outgoing) -> Result<Message, DeliveryFailure> {
        let to: Mailbox = outgoing.to.parse().map_err(|error| {
            tracing::warn!(%error, "recipient address refused");
            DeliveryFailure::Recipient
        })?;
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(outgoing.subject);
        if let Some(reply_to) = outgoing.reply_to.and_then(|r| r.parse::<Mailbox>().ok()) {
            builder = builder.reply_to(reply_to);
        }
        let text = SinglePart::plain(outgoing.body);
        let message = match outgoing.attachment {
            Some((name, kind, bytes)) => {
                let kind = ContentType::parse(&kind)
                    .unwrap_or_else(|_| ContentType::parse("application/octet-stream").unwrap());
                builder.multipart(
                    MultiPart::mixed()
                        .singlepart(text)
                        .singlepart(Attachment::new(name).body(bytes, kind)),
                )
            }
            None => builder.singlepart(text),
        };
        message.map_err(|error| {
            tracing::error!(%error, "message not built");
            DeliveryFailure::Message
        })
    }
}

impl Mailer for SmtpMailer {
    fn send<'a>(
        &'a self,
        outgoing: Outgoing,
    ) -> Pin<Box<dyn Future<Output = Result<(), DeliveryFailure>> + Send + 'a>> {
        Box::pin(async move {
            let message = self.message(outgoing)?;
            self.transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|error| {
                    // The server's answer may name hosts and accounts: it goes to the log only.
                    tracing::warn!(%error, "SMTP delivery failed");
                    DeliveryFailure::Server
                })
        })
    }
}
