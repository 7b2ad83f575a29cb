package app.fieldbook.attachments;

import jakarta.servlet.MultipartConfigElement;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The container's multipart limits follow the photo limit, so an oversize upload is stopped early. */
@Configuration(proxyBeanMethods = false)
class MultipartLimits {

    @Bean
    MultipartConfigElement multipartConfig(AttachmentSettings settings) {
        long photo = settings.maxPhotoSize().toBytes();
        return new MultipartConfigElement("", photo + 64 * 1024, photo + 1024 * 1024, 1024 * 1024);
    }
}
