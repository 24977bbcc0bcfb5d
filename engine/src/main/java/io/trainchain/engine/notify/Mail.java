package io.trainchain.engine.notify;

import io.trainchain.engine.TrainchainException;

import java.util.List;

/**
 * One message: sent as multipart/alternative with a plain-text part and, when {@code html} is not null, an HTML part
 * (mail clients show the richest part they can). Addresses are checked here, so a bad one is bad input before any
 * connection is made.
 */
public record Mail(List<String> to, String subject, String text, String html) {

    public Mail {
        if (to == null || to.isEmpty()) {
            throw TrainchainException.badInput("an e-mail needs at least one recipient; set the model's owner");
        }
        to = List.copyOf(to);
        for (String address : to) {
            MailSettings.checkAddress(address, "the recipient");
        }
        subject = subject == null ? "" : subject;
        text = text == null ? "" : text;
    }

    public Mail(String to, String subject, String text, String html) {
        this(List.of(to), subject, text, html);
    }
}
