package app.fieldbook;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.springframework.boot.webmvc.autoconfigure.WebMvcRegistrations;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.PathContainer;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.condition.PathPatternsRequestCondition;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.pattern.PathPattern;

/**
 * Spring MVC's request mappings, found through an index by the path's first {@value #DEPTH} segments. Spring
 * looks a path with a variable in it ({@code /api/v1/reports/{id}}) up by trying every mapping of the
 * application in turn, each with its method, content type and path conditions: about a hundred per request,
 * 7 % of the server's request samples in a flight recording of the Monday-morning reads. Here only the mappings
 * whose path begins with the same literal segments, and those whose path has fewer literal segments than that,
 * are tried, with Spring's own conditions and ordering (a mapping of exactly the path, without variables, first). Whenever they give no single best match (nothing found,
 * two equally good, or a CORS pre-flight request) Spring's full look-up decides, and answers a path it does not
 * know, a method it does not allow or a type it cannot give as it always has; so it does while a mapping is
 * registered or removed after start (the index is then made again), and for Ant-style path matching.
 */
final class PrefixIndexedRequestMappings extends RequestMappingHandlerMapping {

    /** How many leading literal segments of a mapping's path make its key ({@code api/v1/reports}). */
    static final int DEPTH = 3;

    private volatile Index index;

    @Override
    public void afterPropertiesSet() {
        super.afterPropertiesSet();
        index = Index.of(getHandlerMethods(), this::getDirectPaths);
    }

    @Override
    public void registerMapping(RequestMappingInfo mapping, Object handler, Method method) {
        index = null;
        super.registerMapping(mapping, handler, method);
        index = Index.of(getHandlerMethods(), this::getDirectPaths);
    }

    @Override
    public void unregisterMapping(RequestMappingInfo mapping) {
        index = null;
        super.unregisterMapping(mapping);
        index = Index.of(getHandlerMethods(), this::getDirectPaths);
    }

    @Override
    protected HandlerMethod lookupHandlerMethod(String lookupPath, HttpServletRequest request) throws Exception {
        HandlerMethod found = lookUpThroughIndex(lookupPath, request);
        return found != null ? found : super.lookupHandlerMethod(lookupPath, request);
    }

    /** The best match among the mappings the index gives, or null when Spring's full look-up must decide. */
    HandlerMethod lookUpThroughIndex(String lookupPath, HttpServletRequest request) {
        Index current = index;
        if (current == null || !usesPathPatterns() || CorsUtils.isPreFlightRequest(request)) {
            return null;
        }
        List<Matched> matches = new ArrayList<>(2);
        boolean direct = false;
        for (Candidate candidate : current.candidates(request)) {
            RequestMappingInfo match = getMatchingMapping(candidate.mapping(), request);
            if (match != null) {
                boolean thisDirect = candidate.directPaths().contains(lookupPath);
                if (thisDirect && !direct) {
                    // as Spring: a mapping of exactly this path, without variables, that matches is preferred
                    // to every mapping with variables or wildcards, whatever their other conditions
                    matches.clear();
                    direct = true;
                }
                if (thisDirect || !direct) {
                    matches.add(new Matched(match, candidate.handler()));
                }
            }
        }
        if (matches.isEmpty()) {
            return null;
        }
        Matched best = matches.get(0);
        if (matches.size() > 1) {
            Comparator<RequestMappingInfo> order = getMappingComparator(request);
            matches.sort((a, b) -> order.compare(a.mapping(), b.mapping()));
            best = matches.get(0);
            if (order.compare(best.mapping(), matches.get(1).mapping()) == 0) {
                return null;
            }
        }
        request.setAttribute(BEST_MATCHING_HANDLER_ATTRIBUTE, best.handler());
        handleMatch(best.mapping(), lookupPath, request);
        return best.handler();
    }

    /** How many mappings the index gives for the request (for the tests); all of them without an index. */
    int tried(HttpServletRequest request) {
        Index current = index;
        return current == null ? getHandlerMethods().size() : current.candidates(request).size();
    }

    /** Spring's full look-up, for the tests that compare both. */
    HandlerMethod lookUpAsSpringDoes(String lookupPath, HttpServletRequest request) throws Exception {
        return super.lookupHandlerMethod(lookupPath, request);
    }

    /** A mapping, its handler, and its paths without variables (made once, not per request). */
    private record Candidate(RequestMappingInfo mapping, HandlerMethod handler, Set<String> directPaths) {
    }

    private record Matched(RequestMappingInfo mapping, HandlerMethod handler) {
    }

    /** The mappings by the first literal segments of their paths, and those with fewer (tried for every path). */
    private record Index(Map<String, List<Candidate>> byPrefix, List<Candidate> shallow) {

        static Index of(Map<RequestMappingInfo, HandlerMethod> mappings,
                Function<RequestMappingInfo, Set<String>> directPaths) {
            Map<String, Set<Candidate>> byPrefix = new HashMap<>();
            List<Candidate> shallow = new ArrayList<>();
            for (Map.Entry<RequestMappingInfo, HandlerMethod> mapping : mappings.entrySet()) {
                Candidate candidate = new Candidate(mapping.getKey(), mapping.getValue(),
                        Set.copyOf(directPaths.apply(mapping.getKey())));
                PathPatternsRequestCondition paths = mapping.getKey().getPathPatternsCondition();
                List<String> keys = new ArrayList<>();
                if (paths != null) {
                    for (PathPattern pattern : paths.getPatterns()) {
                        keys.add(key(pattern.getPatternString()));
                    }
                }
                if (keys.isEmpty() || keys.contains(null)) {
                    shallow.add(candidate);
                } else {
                    keys.forEach(key -> byPrefix.computeIfAbsent(key, any -> new LinkedHashSet<>()).add(candidate));
                }
            }
            Map<String, List<Candidate>> lists = new HashMap<>();
            byPrefix.forEach((key, candidates) -> {
                List<Candidate> all = new ArrayList<>(candidates);
                all.addAll(shallow);
                lists.put(key, List.copyOf(all));
            });
            return new Index(Map.copyOf(lists), List.copyOf(shallow));
        }

        /** The first {@value #DEPTH} segments of a pattern, when they are all literal; else null. */
        private static String key(String pattern) {
            String[] segments = pattern.startsWith("/") ? pattern.substring(1).split("/", -1) : pattern.split("/", -1);
            if (segments.length < DEPTH) {
                return null;
            }
            for (int i = 0; i < DEPTH; i++) {
                if (segments[i].isEmpty() || segments[i].chars().anyMatch(c -> c == '{' || c == '*' || c == '?')) {
                    return null;
                }
            }
            return String.join("/", List.of(segments).subList(0, DEPTH));
        }

        /** The mappings that may match the request's path: by its first segments as matched (decoded), and the shallow. */
        List<Candidate> candidates(HttpServletRequest request) {
            PathContainer path = ServletRequestPathUtils.getParsedRequestPath(request).pathWithinApplication();
            StringBuilder key = new StringBuilder();
            int segments = 0;
            for (PathContainer.Element element : path.elements()) {
                if (element instanceof PathContainer.PathSegment segment) {
                    if (segments == DEPTH) {
                        break;
                    }
                    if (segments > 0) {
                        key.append('/');
                    }
                    key.append(segment.valueToMatch());
                    segments++;
                }
            }
            return segments < DEPTH ? shallow : byPrefix.getOrDefault(key.toString(), shallow);
        }
    }

    /** Puts this look-up in place of Spring Boot's own request mappings. */
    @Configuration(proxyBeanMethods = false)
    static class Registration {

        @Bean
        WebMvcRegistrations prefixIndexedRequestMappings() {
            return new WebMvcRegistrations() {
                @Override
                public RequestMappingHandlerMapping getRequestMappingHandlerMapping() {
                    return new PrefixIndexedRequestMappings();
                }
            };
        }
    }
}
