package io.trainchain.jenkins;

import hudson.model.Item;
import hudson.util.FormValidation;
import jenkins.model.Jenkins;

import java.util.function.Supplier;

/** A {@link ConfigChecks.Check} as the form shows it, for those allowed to configure what the form belongs to. */
final class Forms {

    private Forms() {
    }

    static FormValidation of(ConfigChecks.Check c) {
        return switch (c.kind()) {
            case OK -> c.message() == null ? FormValidation.ok() : FormValidation.ok(c.message());
            case WARNING -> FormValidation.warning(c.message());
            case ERROR -> FormValidation.error(c.message());
        };
    }

    /** A job's field: checked only for users who may configure the job (others learn nothing from it). */
    static FormValidation forItem(Item item, Supplier<ConfigChecks.Check> check) {
        if (item == null ? !Jenkins.get().hasPermission(Jenkins.ADMINISTER) : !item.hasPermission(Item.CONFIGURE)) {
            return FormValidation.ok();
        }
        return of(check.get());
    }

    /** A global setting: administrators only. */
    static FormValidation forAdmin(Supplier<ConfigChecks.Check> check) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return of(check.get());
    }
}
