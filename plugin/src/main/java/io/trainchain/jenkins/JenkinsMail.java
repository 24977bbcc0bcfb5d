package io.trainchain.jenkins;

import hudson.model.TaskListener;
import io.trainchain.engine.pipeline.StepResult;
import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import jenkins.plugins.mailer.tasks.MimeMessageBuilder;

import java.io.UnsupportedEncodingException;

/**
 * The owner's e-mail through the Jenkins Mailer plugin's SMTP session (the server, credentials and sender the admin
 * configured under "E-mail Notification"). Loaded only when the Mailer plugin is installed (an optional dependency).
 * Never throws: a notification must not change the build's result.
 */
final class JenkinsMail {

    private JenkinsMail() {
    }

    /** Whether the Mailer plugin's classes are there. */
    static boolean available() {
        try {
            Class.forName("jenkins.plugins.mailer.tasks.MimeMessageBuilder", false,
                    JenkinsMail.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static void send(StepResult.OutgoingMail mail, TaskListener listener) {
        String to = String.join(", ", mail.to());
        try {
            MimeMessage message = new MimeMessageBuilder().setListener(listener).setSubject(mail.subject())
                    .setMimeType("text/html").setBody(mail.html()).addRecipients(to).buildMimeMessage();
            Transport.send(message);
            listener.getLogger().println("[trainchain] tune: e-mail sent to " + to + " through Jenkins' Mailer");
        } catch (MessagingException | UnsupportedEncodingException | RuntimeException e) {
            // Jenkins' Mailer session carries the password; the exception text does not.
            listener.getLogger().println("[trainchain] tune: e-mail to " + to + " not sent through Jenkins' Mailer: "
                    + e.getMessage() + "; check Manage Jenkins > System > E-mail Notification");
        }
    }
}
