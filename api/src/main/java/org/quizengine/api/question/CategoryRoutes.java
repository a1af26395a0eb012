package org.quizengine.api.question;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import org.quizengine.api.auth.Authentication;
import org.quizengine.api.auth.Role;
import org.quizengine.api.http.FieldError;
import org.quizengine.api.http.Responses;
import org.quizengine.api.http.ValidationException;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;

/**
 * The categories players can ask for, with how many active questions each has: {@code GET /categories}.
 * Moderators and admins may add {@code ?includeInactive=true} to see deactivated ones too (each then
 * says whether it is active), so they can find and reopen them.
 */
public final class CategoryRoutes {
    private final QuestionRepository questions;

    public CategoryRoutes(QuestionRepository questions) {
        this.questions = questions;
    }

    public void mount(Router router) {
        router.get("/categories").handler(this::categories);
    }

    private void categories(RoutingContext ctx) {
        String includeInactive = ctx.request().getParam("includeInactive");
        if (includeInactive != null && !includeInactive.equals("true") && !includeInactive.equals("false")) {
            throw new ValidationException(List.of(new FieldError("includeInactive", "Must be true or false.")));
        }
        if ("true".equals(includeInactive)) {
            if (!Authentication.current(ctx).role().atLeast(Role.MODERATOR)) {
                throw new QuizException(ErrorCode.FORBIDDEN, "Only moderators and admins see inactive categories.");
            }
            questions.allCategories()
                .onSuccess(categories -> Responses.json(ctx, 200, Map.of("categories", categories)))
                .onFailure(ctx::fail);
            return;
        }
        questions.categories()
            .onSuccess(categories -> Responses.json(ctx, 200, Map.of("categories", categories)))
            .onFailure(ctx::fail);
    }
}
