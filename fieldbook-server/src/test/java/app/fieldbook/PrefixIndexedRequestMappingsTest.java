package app.fieldbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.condition.NameValueExpression;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.pattern.PathPattern;

/**
 * The indexed look-up of request mappings finds, for a request to every path of every mapping of the server (its
 * variables filled in, with each of its methods and HEAD where GET, its parameters, headers and content type), the
 * handler, path variables, pattern and media types Spring's own look-up finds, trying a fraction of the mappings;
 * and paths and methods nobody maps are answered by Spring's look-up as before.
 */
@FullStackTest
class PrefixIndexedRequestMappingsTest {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void theServersMappingsAreLookedUpThroughTheIndex() {
        assertThat(mappings).isInstanceOf(PrefixIndexedRequestMappings.class);
    }

    @Test
    void everyMappedPathFindsTheHandlerSpringFinds() throws Exception {
        PrefixIndexedRequestMappings indexed = (PrefixIndexedRequestMappings) mappings;
        int checked = 0;
        int throughTheIndex = 0;
        for (RequestMappingInfo mapping : indexed.getHandlerMethods().keySet()) {
            for (PathPattern pattern : mapping.getPathPatternsCondition().getPatterns()) {
                Set<org.springframework.web.bind.annotation.RequestMethod> methods = mapping.getMethodsCondition()
                        .getMethods();
                List<String> asked = new ArrayList<>(methods.isEmpty() ? List.of("GET", "POST")
                        : methods.stream().map(Enum::name).toList());
                if (asked.contains("GET")) {
                    asked.add("HEAD");
                }
                for (String method : asked) {
                    String path = pathFor(pattern.getPatternString());
                    MockHttpServletRequest asIndexed = request(method, path, mapping);
                    HandlerExecutionChain found = indexed.getHandler(asIndexed);
                    MockHttpServletRequest asSpring = request(method, path, mapping);
                    HandlerMethod spring = indexed.lookUpAsSpringDoes(lookupPath(asSpring), asSpring);
                    assertThat(found).as(method + " " + path).isNotNull();
                    assertThat(((HandlerMethod) found.getHandler()).getMethod()).as(method + " " + path)
                            .isEqualTo(spring.getMethod());
                    for (String attribute : List.of(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE,
                            HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE,
                            HandlerMapping.PRODUCIBLE_MEDIA_TYPES_ATTRIBUTE)) {
                        assertThat(asIndexed.getAttribute(attribute)).as(method + " " + path + " " + attribute)
                                .isEqualTo(asSpring.getAttribute(attribute));
                    }
                    if (path.startsWith("/api/")) {
                        MockHttpServletRequest throughIndex = request(method, path, mapping);
                        HandlerMethod indexedOnly = indexed.lookUpThroughIndex(lookupPath(throughIndex), throughIndex);
                        assertThat(indexedOnly).as(method + " " + path + " through the index alone").isNotNull();
                        assertThat(indexedOnly.getMethod()).isEqualTo(spring.getMethod());
                        throughTheIndex++;
                    }
                    checked++;
                }
            }
        }
        assertThat(checked).as("paths checked").isGreaterThan(60);
        assertThat(throughTheIndex).as("API paths found through the index").isGreaterThan(50);
        assertThat(indexed.tried(request("GET", "/api/v1/reports/x1", null)))
                .as("mappings tried for a report, of " + indexed.getHandlerMethods().size())
                .isLessThan(indexed.getHandlerMethods().size() / 3);
    }

    @Test
    void anUnknownPathOrMethodIsAnsweredAsSpringAnswersIt() throws Exception {
        assertThat(mappings.getHandler(request("GET", "/api/v1/reports/a/b/c/d", null))).isNull();
        assertThat(mappings.getHandler(request("GET", "/api/v1/nothing-here", null))).isNull();
        assertThat(mappings.getHandler(request("GET", "/api/v1/%72eports", null)).getHandler())
                .as("a segment written encoded is matched decoded").isNotNull();
        assertThatThrownBy(() -> mappings.getHandler(request("PATCH", "/api/v1/reports", null)))
                .isInstanceOf(HttpRequestMethodNotSupportedException.class);
    }

    /** A path the pattern matches: each variable a plain value, each wildcard one or two segments. */
    private static String pathFor(String pattern) {
        List<String> segments = new ArrayList<>();
        for (String segment : pattern.split("/", -1)) {
            segments.add(segment.startsWith("{*") || segment.equals("**") ? "x1/x2"
                    : segment.replaceAll("\\{[^}]*}", "x1").replace("*", "x1").replace("?", "x"));
        }
        return String.join("/", segments);
    }

    private static MockHttpServletRequest request(String method, String path, RequestMappingInfo mapping) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        request.addHeader("Accept", "*/*");
        if (mapping != null) {
            for (NameValueExpression<String> param : mapping.getParamsCondition().getExpressions()) {
                if (!param.isNegated()) {
                    request.setParameter(param.getName(), param.getValue() == null ? "x1" : param.getValue());
                }
            }
            for (NameValueExpression<String> header : mapping.getHeadersCondition().getExpressions()) {
                if (!header.isNegated()) {
                    request.addHeader(header.getName(), header.getValue() == null ? "x1" : header.getValue());
                }
            }
            Set<MediaType> consumed = mapping.getConsumesCondition().getConsumableMediaTypes();
            if (!consumed.isEmpty()) {
                request.setContentType(consumed.iterator().next().toString().replace("*", "x"));
            }
            Set<MediaType> produced = mapping.getProducesCondition().getProducibleMediaTypes();
            if (!produced.isEmpty()) {
                request.removeHeader("Accept");
                request.addHeader("Accept", produced.iterator().next().toString());
            }
        }
        ServletRequestPathUtils.parseAndCache(request);
        return request;
    }

    private static String lookupPath(MockHttpServletRequest request) {
        return ServletRequestPathUtils.getParsedRequestPath(request).pathWithinApplication().value();
    }
}
