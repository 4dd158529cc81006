// Package grpcpb is the generated code of the bench's gRPC service
// (calculator.proto): the calculator's add and the payload sweep's echo.
//
// The code is committed, so building the bench needs no protoc. To
// regenerate it after changing calculator.proto, install protoc
// (Debian: apt-get install protobuf-compiler) and the two plugins at
// the versions the files name, then run go generate:
//
//	GOBIN=$(mktemp -d)
//	GOBIN=$GOBIN go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.6
//	GOBIN=$GOBIN go install google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.5.1
//	PATH=$GOBIN:$PATH go generate ./bench/grpcpb
package grpcpb

//go:generate protoc --go_out=. --go_opt=paths=source_relative --go-grpc_out=. --go-grpc_opt=paths=source_relative calculator.proto
