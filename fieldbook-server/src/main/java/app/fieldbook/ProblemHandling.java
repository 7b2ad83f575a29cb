package app.fieldbook;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.util.DisconnectedClientHelper;
import tools.jackson.core.JacksonException;

/**
 * Turns every error into RFC 9457 problem+json with a stable type, a title, and, for invalid input,
 * the list of field errors ({@code errors: [{field, message}]}).
 */
@RestControllerAdvice
class ProblemHandling extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandling.class);

    record FieldProblem(String field, String message) {
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> errors = ex.getBindingResult().getAllErrors().stream()
                .map(error -> error instanceof FieldError field
                        ? new FieldProblem(field.getField(), field.getDefaultMessage())
                        : new FieldProblem(error.getObjectName(), error.getDefaultMessage()))
                .toList();
        return ResponseEntity.badRequest().body(invalid("The request has invalid fields.", errors));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> errors = ex.getParameterValidationResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream()
                        .map(error -> new FieldProblem(result.getMethodParameter().getParameterName(),
                                error.getDefaultMessage())))
                .toList();
        return ResponseEntity.badRequest().body(invalid("The request has invalid parameters.", errors));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> errors = List.of();
        if (ex.getCause() instanceof JacksonException json && !json.getPath().isEmpty()) {
            errors = List.of(new FieldProblem(path(json), "has the wrong type or format"));
        }
        return ResponseEntity.badRequest().body(invalid("The request body is not JSON of the expected shape.", errors));
    }

    @Override
    protected ResponseEntity<Object> handleMaxUploadSizeExceededException(MaxUploadSizeExceededException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
                "The upload is larger than the server accepts.");
        problem.setType(URI.create(RejectedRequest.TYPE_BASE + "upload-too-large"));
        problem.setTitle("Upload too large");
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(problem);
    }

    /**
     * A multipart body that cannot be parsed (no boundary, a part that never ends) is bad input, 400; one
     * cut off because its client went away is answered as in {@link #handleUnexpected}, and one too large
     * by {@link #handleMaxUploadSizeExceededException}.
     */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<Object> handleUnreadableMultipart(MultipartException ex, HttpServletRequest request)
            throws Exception {
        if (DisconnectedClientHelper.isClientDisconnectedException(ex)) {
            return handleUnexpected(ex, request);
        }
        return ResponseEntity.badRequest().body(invalid("The request body is not a multipart form that can be read.",
                List.of()));
    }

    /** A query string or form the container cannot split into parameters (one with no name: {@code ?=x}). */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<Object> handleUnreadableParameters(InvalidParameterException ex) {
        return ResponseEntity.badRequest().body(invalid("The parameters of the request cannot be read.", List.of()));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> handleTypeMismatch(MethodArgumentTypeMismatchException ex) {
        if (StrictParameters.NUL_REFUSED.equals(ex.getMostSpecificCause().getMessage())) {
            return ResponseEntity.badRequest().body(invalid("A parameter holds a NUL character.",
                    List.of(new FieldProblem(ex.getName(), StrictParameters.NUL_REFUSED))));
        }
        return ResponseEntity.badRequest().body(invalid("A parameter has the wrong type.",
                List.of(new FieldProblem(ex.getName(), "cannot be read as " + simpleName(ex.getRequiredType())))));
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<Object> handleIntegrityViolation(DataIntegrityViolationException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                "The change conflicts with existing data (a duplicate, or a reference to a missing record).");
        problem.setType(URI.create(RejectedRequest.TYPE_BASE + "data-conflict"));
        problem.setTitle("Conflicting data");
        return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
    }

    /**
     * Anything unexpected: logged with its request id, answered without internals. A client that went away
     * in the middle of its request (a phone losing its signal mid-upload) is expected in the field, not a
     * failure of the server: it is logged as one line at INFO, without a stack trace, and nobody is left to
     * answer. No database connection within the pool's wait is overload, answered 503 with Retry-After
     * ({@link ServerBusy}).
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> handleUnexpected(Exception ex, HttpServletRequest request) throws Exception {
        if (ex instanceof AccessDeniedException || ex instanceof AuthenticationException) {
            throw ex;
        }
        if (ServerBusy.causedBy(ex)) {
            return ServerBusy.answer();
        }
        if (DisconnectedClientHelper.isClientDisconnectedException(ex)) {
            log.info("The client went away during {} {}: {}", request.getMethod(), request.getRequestURI(),
                    describe(ex));
            return null;
        }
        log.error("Unexpected failure", ex);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "Something went wrong on the server; nothing of this request was saved. Quote the X-Request-Id "
                        + "header of this answer when you report it.");
        problem.setType(URI.create(RejectedRequest.TYPE_BASE + "internal-error"));
        problem.setTitle("Internal error");
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(problem);
    }

    private static ProblemDetail invalid(String detail, List<FieldProblem> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setType(URI.create(RejectedRequest.TYPE_BASE + "invalid-request"));
        problem.setTitle("Invalid request");
        problem.setProperties(Map.of("errors", errors));
        return problem;
    }

    private static String path(JacksonException json) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : json.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String describe(Throwable ex) {
        Throwable cause = ex;
        while (cause.getCause() != null && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")");
    }

    private static String simpleName(Class<?> type) {
        return type == null ? "the expected type" : type.getSimpleName();
    }
}
