;; The standard docker-image of (gnu system image).
docker-image
