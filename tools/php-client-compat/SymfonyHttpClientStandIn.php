<?php
// Stand-in for the part of symfony/http-client php-client's fixtures use
// (HttpClient::create()->request() for a health probe and an admin/apply),
// so that the suite runs without Composer. Test harness only: the binding
// itself has no HTTP client of its own.
declare(strict_types=1);

namespace Symfony\Component\HttpClient;

final class HttpClient
{
    public static function create(): StandInClient
    {
        return new StandInClient();
    }
}

final class StandInClient
{
    /** @param array{headers?: array<string, string>, json?: mixed} $options */
    public function request(string $method, string $url, array $options = []): StandInResponse
    {
        $headers = [];
        foreach ($options['headers'] ?? [] as $name => $value) {
            $headers[] = "$name: $value";
        }
        $body = '';
        if (array_key_exists('json', $options)) {
            $body = json_encode($options['json'], JSON_THROW_ON_ERROR);
            $headers[] = 'Content-Type: application/json';
        }
        $context = stream_context_create(['http' => [
            'method' => $method, 'header' => $headers, 'content' => $body,
            'ignore_errors' => true, 'timeout' => 5, 'follow_location' => 0,
        ]]);
        $content = @file_get_contents($url, false, $context);
        if ($content === false || !isset($http_response_header[0])) {
            throw new \RuntimeException("request to $url failed");
        }
        if (preg_match('#^HTTP/\S+ (\d{3})#', $http_response_header[0], $m) !== 1) {
            throw new \RuntimeException("no status line from $url");
        }
        return new StandInResponse((int) $m[1], $content);
    }
}

final class StandInResponse
{
    public function __construct(private int $status, private string $content) {}

    public function getStatusCode(): int
    {
        return $this->status;
    }

    public function getContent(bool $throw = true): string
    {
        if ($throw && $this->status >= 300) {
            throw new \RuntimeException("HTTP $this->status");
        }
        return $this->content;
    }
}
