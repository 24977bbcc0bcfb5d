package io.trainchain.cli;

import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.notify.Delivery;
import io.trainchain.engine.notify.MailSettings;
import io.trainchain.engine.notify.Mailer;
import io.trainchain.engine.notify.Outbox;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code trainchain outbox}: the e-mails that could not be sent when they were written (no SMTP server configured, or
 * it was down). There is deliberately no password option: a command line is visible to every user of the machine.
 */
@Command(name = "outbox", mixinStandardHelpOptions = true,
        subcommands = {OutboxCommand.ListCommand.class, OutboxCommand.SendCommand.class},
        description = "E-mails waiting to be sent: 'outbox list' shows them, 'outbox send' retries them.")
final class OutboxCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Where the outbox is: --outbox, else $TRAINCHAIN_OUTBOX, else outbox/ next to the run database. */
    static final class Where {
        @Option(names = "--outbox", paramLabel = "DIR",
                description = "Outbox folder. Default: $TRAINCHAIN_OUTBOX, else outbox/ next to the run database.")
        Path outbox;

        @Mixin
        StoreOption store = new StoreOption();

        Path defaultOutbox() {
            return store.resolve().toAbsolutePath().resolveSibling("outbox");
        }

        Path resolve(Map<String, String> env) {
            return outbox != null ? outbox : MailSettings.outbox(env, defaultOutbox());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Show the queued e-mails, oldest first: recipients, subject, when and why they were queued.")
    static final class ListCommand implements Callable<Integer> {
        @Mixin
        Where where = new Where();

        @Override
        public Integer call() {
            Outbox outbox = new Outbox(where.resolve(System.getenv()));
            try {
                print(outbox.list(), outbox.dir(), System.out);
                return 0;
            } catch (TrainchainException e) {
                System.err.println("error: " + e.getMessage());
                return ExitCodes.of(e.kind());
            }
        }

        static void print(List<Outbox.Entry> entries, Path dir, PrintStream o) {
            if (entries.isEmpty()) {
                o.println("no queued e-mail in " + dir);
                return;
            }
            o.println(entries.size() + " queued e-mail" + (entries.size() == 1 ? "" : "s") + " in " + dir + ":");
            String format = "%-19s %-5s %-30s %s%n";
            o.printf(Locale.ROOT, format, "QUEUED (UTC)", "TRIES", "TO", "SUBJECT");
            for (Outbox.Entry e : entries) {
                o.printf(Locale.ROOT, format, RunsCommand.TIME.format(e.queuedAt()), e.attempts(),
                        RunsCommand.shorten(String.join(", ", e.to()), 30), e.subject());
                o.println("    " + e.file().getFileName() + ": " + e.reason());
            }
        }
    }

    @Command(name = "send", mixinStandardHelpOptions = true,
            description = {"Retry every queued e-mail: a delivered one leaves the outbox, the others stay with the "
                    + "new reason.",
                    "SMTP settings come from the TRAINCHAIN_SMTP_* environment variables; these options override "
                            + "them. The password only ever comes from $TRAINCHAIN_SMTP_PASSWORD or the file named "
                            + "by $TRAINCHAIN_SMTP_PASSWORD_FILE.",
                    "Exit code: 0 all sent (or none queued), 2 bad settings, 3 some still queued."})
    static final class SendCommand implements Callable<Integer> {
        @Mixin
        Where where = new Where();

        @Option(names = "--smtp-host", paramLabel = "HOST", description = "SMTP server. Default: $TRAINCHAIN_SMTP_HOST.")
        String host;

        @Option(names = "--smtp-port", paramLabel = "PORT",
                description = "Default: $TRAINCHAIN_SMTP_PORT, else 587 (starttls), 465 (tls) or 25 (none).")
        Integer port;

        @Option(names = "--smtp-security", paramLabel = "MODE",
                description = "${COMPLETION-CANDIDATES}. Default: $TRAINCHAIN_SMTP_SECURITY, else starttls.")
        MailSettings.Security security;

        @Option(names = "--smtp-user", paramLabel = "USER", description = "Login. Default: $TRAINCHAIN_SMTP_USER.")
        String user;

        @Option(names = "--smtp-from", paramLabel = "ADDRESS",
                description = "Sender. Default: $TRAINCHAIN_SMTP_FROM, else trainchain@<this host>.")
        String from;

        /** Not an option: it only refuses, without echoing the value (picocli's "Unknown option" error would). */
        @Option(names = {"--smtp-password", "--password"}, hidden = true, arity = "0..1")
        String password;

        MailSettings settings(Map<String, String> env) {
            MailSettings s = MailSettings.fromEnvironment(env, where.resolve(env));
            s = host != null ? s.withHost(host) : s;
            s = port != null ? s.withPort(port) : s;
            s = security != null ? s.withSecurity(security) : s;
            s = user != null ? s.withUser(user) : s;
            return from != null ? s.withFrom(from) : s;
        }

        @Override
        public Integer call() {
            if (password != null) {
                System.err.println("error: there is no password option, since a command line is visible to other users "
                        + "of the machine; put the password in $" + MailSettings.PASSWORD + " or in a file named by $"
                        + MailSettings.PASSWORD_FILE);
                return ExitCodes.BAD_INPUT;
            }
            try {
                Mailer mailer = new Mailer(settings(System.getenv()));
                List<Outbox.Result> results = mailer.outbox().sendAll(mailer);
                return print(results, mailer.outbox().dir(), System.out);
            } catch (TrainchainException e) {
                System.err.println("error: " + e.getMessage());
                return ExitCodes.of(e.kind());
            }
        }

        static int print(List<Outbox.Result> results, Path dir, PrintStream o) {
            if (results.isEmpty()) {
                o.println("no queued e-mail in " + dir);
                return 0;
            }
            int queued = 0;
            for (Outbox.Result r : results) {
                String what = String.join(", ", r.entry().to()) + " '" + r.entry().subject() + "'";
                if (r.delivery().sent()) {
                    o.println("sent   " + what);
                } else {
                    queued++;
                    o.println("queued " + what + ": " + r.delivery().reason());
                }
            }
            o.println((results.size() - queued) + " sent, " + queued + " still queued in " + dir);
            return queued == 0 ? 0 : ExitCodes.INFRASTRUCTURE;
        }
    }
}
