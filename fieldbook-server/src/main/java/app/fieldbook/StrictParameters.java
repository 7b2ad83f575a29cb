package app.fieldbook;

import java.beans.PropertyEditorSupport;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;

/**
 * What {@link StrictJson} is for bodies, this is for a request's parameters, path variables and form fields:
 * text with a NUL character is refused (PostgreSQL cannot store one, and a photo's caption with one answered
 * 409 as if the data conflicted). {@link ProblemHandling} answers it 400 {@code invalid-request} naming the
 * parameter.
 */
@ControllerAdvice
class StrictParameters {

    static final String NUL_REFUSED = "must not contain a NUL character";

    @InitBinder
    void refuseNul(WebDataBinder binder) {
        binder.registerCustomEditor(String.class, new TextWithoutNul());
    }

    private static final class TextWithoutNul extends PropertyEditorSupport {

        @Override
        public void setAsText(String text) {
            if (text != null && text.indexOf('\0') >= 0) {
                throw new IllegalArgumentException(NUL_REFUSED);
            }
            setValue(text);
        }
    }
}
