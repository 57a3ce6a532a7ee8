package io.syncctl.sidecar.command;

import io.syncctl.shared.protocol.AirbyteMessage;
import io.syncctl.shared.protocol.MessageParser;
import io.syncctl.shared.results.ReadStatus;
import io.syncctl.shared.results.ResultEffects;
import io.syncctl.shared.results.TaskRef;
import io.syncctl.shared.task.TaskType;

import java.sql.SQLException;

/**
 * spec, check and discover: one answer message each (SPEC, CONNECTION_STATUS, CATALOG), written to its
 * result table the moment it arrives. A run that ends without one writes the failure with the reason:
 * the connector's first error when it gave one, else how the run ended.
 */
public final class ResultCommand implements CommandHandler {
    private final TaskContext ctx;
    private final TaskType command;
    private final TaskRef task;
    private boolean answered;
    private String firstError;

    public ResultCommand(TaskContext ctx) {
        this.ctx = ctx;
        this.command = ctx.env().command();
        this.task = ctx.env().ref();
    }

    @Override
    public void onMessage(AirbyteMessage message) {
        try {
            switch (message) {
                case AirbyteMessage.Spec s when command == TaskType.SPEC -> {
                    String json = MessageParser.mapper().writeValueAsString(s.spec());
                    ctx.results().write(c -> ResultEffects.succeeded(c, task, json));
                    answer("spec received");
                }
                case AirbyteMessage.ConnectionStatus s when command == TaskType.CHECK -> {
                    String description = s.message() == null ? "" : ctx.masker().mask(s.message()); // "", never null
                    ctx.results().write(c -> s.succeeded() ? ResultEffects.succeeded(c, task, description)
                            : ResultEffects.failed(c, task, ReadStatus.FAILED, description));
                    answer("check " + (s.succeeded() ? "succeeded" : "failed") + (description.isEmpty() ? "" : ": " + description));
                }
                case AirbyteMessage.Catalog cat when command == TaskType.DISCOVER -> {
                    String json = MessageParser.mapper().writeValueAsString(cat.catalog());
                    ctx.results().write(c -> ResultEffects.succeeded(c, task, json));
                    answer("catalog received: " + cat.catalog().path("streams").size() + " streams");
                }
                case AirbyteMessage.TraceError t -> onConnectorError(ctx.masker().mask(t.message()));
                default -> {
                    // other messages mean nothing to this command
                }
            }
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException ex) {
            ctx.stderr("writing the " + command.command() + " result failed: " + ex.getMessage());
        }
    }

    private void answer(String event) {
        answered = true;
        ctx.info(event);
    }

    @Override
    public void onConnectorError(String message) {
        if (firstError == null && message != null && !message.isBlank()) {
            firstError = message;
        }
    }

    @Override
    public int finish(Ending ending) {
        if (answered || ending instanceof Ending.EndedByWorker) {
            return 0; // the worker's end (e.g. the image could not be pulled) stays what the client reads
        }
        String what = switch (command) {
            case SPEC -> "a SPEC message";
            case CHECK -> "a CONNECTION_STATUS message";
            default -> "a CATALOG message";
        };
        String why = ending.reason();
        String reason = why != null && !(ending instanceof Ending.EndOfOutput) ? why
                : "connector exited without " + what + (why == null ? "" : " (" + why + ")");
        if (firstError != null) {
            reason += ": " + firstError;
        }
        String description = ctx.masker().mask(reason);
        ctx.error(description);
        try {
            ctx.results().write(c -> ResultEffects.failed(c, task, ReadStatus.FAILED, description));
        } catch (SQLException ex) {
            ctx.stderr("writing the " + command.command() + " failure failed: " + ex.getMessage());
            return 2;
        }
        return 1;
    }
}
