package org.quizengine.api.question;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import org.quizengine.api.http.Responses;

/** The categories players can ask for, with how many active questions each has: {@code GET /categories}. */
public final class CategoryRoutes {
    private final QuestionRepository questions;

    public CategoryRoutes(QuestionRepository questions) {
        this.questions = questions;
    }

    public void mount(Router router) {
        router.get("/categories").handler(this::categories);
    }

    private void categories(RoutingContext ctx) {
        questions.categories()
            .onSuccess(categories -> Responses.json(ctx, 200, Map.of("categories", categories)))
            .onFailure(ctx::fail);
    }
}
